-- One database per service (no service reads another service's database).
-- Run by the postgres image on first start (empty data volume) as POSTGRES_USER, who owns them.
CREATE DATABASE kmb_intake;
CREATE DATABASE kmb_assessment;
CREATE DATABASE kmb_catalogue;
CREATE DATABASE kmb_referrals;
CREATE DATABASE kmb_stats;
