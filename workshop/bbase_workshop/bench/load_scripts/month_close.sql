-- Finance, in the background: the monthly close of last month (billing_context.close_month)
-- picks up the timesheets the managers approved since the last call and invoices them.
-- Run by its own pgbench with one client at a fixed rate (-R), beside the mix.
BEGIN \; SET LOCAL ROLE ses_finance_role \; SELECT ses_common.act_as(':fin') \; SELECT billing_context.close_month(:py, :pm, '株式会社ビーベース', 'T1234567890123') \; END;
