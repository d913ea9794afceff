-- depends: 0195_ses_workflow_notifications
-- ProjectOrdered, ContractSigned and MatchingCompleted are emitted by one
-- shared trigger function, ses_common.tg_emit_status_event
-- (sql/triggers/ses_common/tg_emit_status_event.sql), attached with arguments
-- by the same trigger files. The three per-table trigger functions are
-- dropped here with their triggers; the replay creates the triggers again on
-- the shared function.
DROP TRIGGER IF EXISTS tg_projects__emit_ordered ON project_context.projects;
DROP TRIGGER IF EXISTS tg_contracts__emit_signed ON contract_context.contracts;
DROP TRIGGER IF EXISTS tg_matching_requests__emit_completed ON matching_context.matching_requests;
DROP FUNCTION IF EXISTS project_context.tg_projects__emit_ordered();
DROP FUNCTION IF EXISTS contract_context.tg_contracts__emit_signed();
DROP FUNCTION IF EXISTS matching_context.tg_matching_requests__emit_completed();
