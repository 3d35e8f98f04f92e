-- title: The examples source's openness spectrum
-- description: The models the examples source places on its openness spectrum, in order (rank 1 = most open), with the label recorded for each place.
-- sparql: spectrum-order
SELECT DISTINCT ol.spectrum_rank AS rank, r.id AS labelled, r.label AS name, ol.label
FROM openness_labels ol
JOIN records r ON r.iri = ol.labelled
JOIN provenance p ON p.record = ol.iri AND p.source = 'open-closed-examples'
WHERE ol.spectrum_rank IS NOT NULL
ORDER BY rank, labelled
