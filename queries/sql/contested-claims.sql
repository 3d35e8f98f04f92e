-- title: Contested claims
-- description: Pairs of claims from different sources that take opposite sides on one proposition (one affirms it, the other denies it), as the analyses judged them: claim_a is the older claim, as_of the dates compared (a claim's own as-of date, else its source's date), kind contradiction (same calendar year, or a claim without any date) or change_over_time. Leave the dimension empty to list every dimension.
-- param dimension = performance
-- sparql: contested-claims dimension=<https://w3id.org/openness-kg/vocab/dimension/performance>
SELECT dimension, proposition, claim_a, source_a, as_of_a, text_a, claim_b, source_b, as_of_b, text_b, kind,
       polarity_a, polarity_b
FROM analysis_claim_conflicts
WHERE (:dimension = '' OR dimension = lower(replace(trim(:dimension), '-', '_')))   -- a slug's hyphens or underscores alike
ORDER BY dimension, proposition, claim_a, claim_b
