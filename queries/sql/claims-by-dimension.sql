-- title: Claims on a dimension
-- description: The claims about one dimension (e.g. cost, safety, privacy; leave empty for all), with their text, stance, subject and source.
-- param dimension = cost
-- sparql: claims-by-dimension dimension=<https://w3id.org/openness-kg/vocab/dimension/cost>
SELECT DISTINCT cd.dimensions AS dimension, c.id AS claim, c.text, c.stance, c.subject, p.source
FROM claims c
JOIN claims_dimensions cd ON cd.claim = c.id
JOIN provenance p ON p.record = c.iri AND p.kind = 'passage'
WHERE (:dimension = '' OR cd.dimensions = lower(replace(trim(:dimension), '-', '_')))   -- a slug's hyphens or underscores alike
ORDER BY dimension, p.source, c.stance, c.id
