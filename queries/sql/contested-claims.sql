-- title: Contested claims
-- description: Pairs of claims on the same dimension and subject where one source favours open models (claim_a) and a different source favours closed ones (claim_b), with both sources, their as-of dates and both texts. Leave the dimension empty to list every dimension.
-- param dimension = safety
-- sparql: contested-claims dimension=<https://w3id.org/openness-kg/vocab/dimension/safety>
SELECT DISTINCT da.dimensions AS dimension, a.subject, a.id AS claim_a, pa.source AS source_a, a.as_of AS as_of_a,
       b.id AS claim_b, pb.source AS source_b, b.as_of AS as_of_b, a.text AS text_a, b.text AS text_b
FROM claims a
JOIN claims_dimensions da ON da.claim = a.id
JOIN provenance pa ON pa.record = a.iri AND pa.kind = 'passage'
JOIN claims b ON b.subject = a.subject AND b.stance = 'favours_closed'
JOIN claims_dimensions db ON db.claim = b.id AND db.dimensions = da.dimensions
JOIN provenance pb ON pb.record = b.iri AND pb.kind = 'passage'
WHERE a.stance = 'favours_open' AND pa.source != pb.source
  AND (:dimension = '' OR da.dimensions = :dimension)
ORDER BY dimension, a.subject, claim_a, claim_b
