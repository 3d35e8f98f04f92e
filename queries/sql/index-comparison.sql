-- title: What each source says about a model's components, side by side
-- description: For the models the source documents name (one model: its id, e.g. llama-3-1; empty: all of them), each component's availability as the source documents state it, as the OSAI index judges it and as the Model Openness Tool records it (one value per checkpoint, e.g. three for Llama 3.1), and whether they disagree (unknown disagrees with nothing). Licences and evidence links are in the artifacts and provenance tables.
-- param model = llama-3-1
WITH states AS (
  SELECT DISTINCT a.artifact_of AS model, a.component, a.id AS artifact, a.availability, p.source,
         s.source_type
  FROM artifacts a
  JOIN provenance p ON p.artifact = a.id AND p.kind != 'public_record'
       AND (p.supports IS NULL OR p.supports LIKE '%"availability"%')
  JOIN sources s ON s.id = p.source
  WHERE :model = '' OR a.artifact_of = lower(replace(trim(:model), '_', '-'))
),
seeds AS (
  SELECT DISTINCT model FROM states WHERE source_type IS NOT 'dataset'
  UNION
  SELECT DISTINCT m.id FROM models m JOIN provenance p ON p.model = m.id JOIN sources s ON s.id = p.source
  WHERE p.kind = 'passage' AND s.source_type IS NOT 'dataset' AND (:model = '' OR m.id = lower(replace(trim(:model), '_', '-')))
)
SELECT st.model, m.name, st.component,
  (SELECT group_concat(availability, ', ') FROM (SELECT DISTINCT availability FROM states x
     WHERE x.model = st.model AND x.component = st.component AND x.source_type IS NOT 'dataset' ORDER BY 1)) AS documents,
  (SELECT group_concat(availability, ', ') FROM (SELECT availability FROM states x
     WHERE x.model = st.model AND x.component = st.component AND x.source = 'osai-index' ORDER BY 1)) AS osai_index,
  (SELECT group_concat(availability, ', ') FROM (SELECT availability FROM states x
     WHERE x.model = st.model AND x.component = st.component AND x.source = 'mof' ORDER BY 1)) AS mof,
  CASE WHEN (SELECT COUNT(DISTINCT availability) FROM states x WHERE x.model = st.model
             AND x.component = st.component AND x.availability != 'unknown') > 1 THEN 1 ELSE 0 END AS disagree
FROM (SELECT DISTINCT model, component FROM states) st
JOIN models m ON m.id = st.model
WHERE st.model IN (SELECT model FROM seeds) AND (:model = '' OR st.model = lower(replace(trim(:model), '_', '-')))
ORDER BY m.name, st.component
