-- The read side (issue 13): findings of a run by subject, rule or severity, and runs whose
-- full findings were pruned by the retention setting (their summary row stays).
ALTER TABLE run_findings ADD COLUMN subject_key TEXT NOT NULL DEFAULT '';
UPDATE run_findings SET subject_key = COALESCE(json_extract(body, '$.subject.key'), '');
CREATE INDEX run_findings_by_rule ON run_findings(run_id, rule_id);
CREATE INDEX run_findings_by_subject ON run_findings(run_id, subject_key);
ALTER TABLE runs ADD COLUMN findings_pruned INTEGER NOT NULL DEFAULT 0;
