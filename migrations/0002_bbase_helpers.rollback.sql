DROP TABLE bbase.install_log;
