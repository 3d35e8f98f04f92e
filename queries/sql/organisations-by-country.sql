-- title: Organisations by country
-- description: Every organisation with its country (ISO 3166-1 alpha-2, empty where none is recorded) and organisation type.
-- sparql: organisations-by-country
SELECT o.id AS organisation, o.name, o.country, o.org_type AS type
FROM organisations o
ORDER BY o.country, o.id
