-- title: Models served by each access channel
-- description: For each product or access channel, its operator and the models and model families it serves.
-- sparql: channel-models
SELECT p.id AS product, p.name AS product_name, r.id AS served, r.label AS served_name,
       CASE r.class WHEN 'ModelFamily' THEN 'ModelFamily' ELSE 'Model' END AS served_kind
FROM products p
JOIN products_serves ps ON ps.product = p.id
JOIN records r ON r.iri = ps.serves
ORDER BY p.name, r.label
