-- Sales (a project's sales manager, ses_project_manager_role): engineers with one skill,
-- through the GIN index on engineers.skills, without contact columns (column grants).
\set who random(0, :n_sales - 1)
\set skill random(1, 8)
BEGIN \; SELECT s.user_id AS uid FROM bench_load.sales_users AS s WHERE s.sales_no = :who \gset
SET LOCAL ROLE ses_project_manager_role \; SELECT ses_common.act_as(':uid') \; SELECT e.id, e.engineer_code, e.availability_status, e.available_from, e.desired_unit_price, e.years_of_experience FROM engineer_context.engineers AS e WHERE e.skills @> jsonb_build_array(jsonb_build_object('name', (ARRAY['Go', 'Python', 'AWS', 'Kubernetes', 'Java', 'React', 'PostgreSQL', '金融業務'])[:skill])) AND e.deleted_at IS NULL ORDER BY e.id LIMIT 50 \; END;
