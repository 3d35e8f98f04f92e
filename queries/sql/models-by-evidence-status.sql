-- title: Models by evidence status
-- description: Each model with its evidence-based status (OSI Open Source AI Definition style), its MOF class, the sources whose evidence on the final parameters decided the status, their date, how a disagreement was settled, and why. Read from analysis_model_openness (the rules run once, at build time). Leave the status empty to list every model.
-- param status =
-- sparql: models-by-evidence-status
SELECT model, name, evidence_status AS status, mof_class, status_resolution, status_evidence_date,
       status_reason, status_decided_by
FROM analysis_model_openness
WHERE (:status = '' OR evidence_status = :status)
ORDER BY status, name
