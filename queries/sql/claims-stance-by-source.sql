-- title: Claim stances per source
-- description: How many claims each source makes per stance (favours open, favours closed, mixed, neutral).
-- sparql: claims-stance-by-source
SELECT p.source, c.stance, COUNT(DISTINCT c.id) AS claims
FROM claims c JOIN provenance p ON p.record = c.iri AND p.kind = 'passage'
GROUP BY p.source, c.stance
ORDER BY p.source, c.stance
