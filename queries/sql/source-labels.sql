-- title: Openness labels per source
-- description: Which label (open, open-weight, closed...) each source gives each model or model family it labels.
-- sparql: source-labels
SELECT DISTINCT p.source, r.id AS labelled, r.label AS name, ol.label
FROM openness_labels ol
JOIN records r ON r.iri = ol.labelled
JOIN provenance p ON p.record = ol.iri AND p.kind = 'passage'
ORDER BY p.source, ol.label, r.label
