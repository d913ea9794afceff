"""bbase glue: moves data between AWS (DynamoDB/S3), files and PostgreSQL.

Business rules live in SQL under ``sql/`` and ``migrations/``; this package
only moves records and calls those functions.
"""
