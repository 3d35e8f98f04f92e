-- title: Licence terms
-- description: What each licence permits, requires or prohibits: one row per licence and term.
-- sparql: licence-terms
SELECT l.id AS licence, l.name, l.licence_category AS category, 'permits' AS relation, t.permits AS term
FROM licences l JOIN licences_permits t ON t.licence = l.id
UNION ALL
SELECT l.id, l.name, l.licence_category, 'requires', t.requires
FROM licences l JOIN licences_requires t ON t.licence = l.id
UNION ALL
SELECT l.id, l.name, l.licence_category, 'prohibits', t.prohibits
FROM licences l JOIN licences_prohibits t ON t.licence = l.id
ORDER BY 2, 4, 5
