-- Roll back the shared event trigger: its triggers and function go; the
-- per-table trigger functions come back only with the sql/ files of before.
DROP TRIGGER IF EXISTS tg_projects__emit_ordered ON project_context.projects;
DROP TRIGGER IF EXISTS tg_contracts__emit_signed ON contract_context.contracts;
DROP TRIGGER IF EXISTS tg_matching_requests__emit_completed ON matching_context.matching_requests;
DROP FUNCTION IF EXISTS ses_common.tg_emit_status_event();
