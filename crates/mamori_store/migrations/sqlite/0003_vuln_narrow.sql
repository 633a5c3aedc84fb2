-- Loading for `assess` reads only what matching needs: each CVE without its description and
-- configurations (`summary`), and per product the configurations that can name that product
-- (mamori_vuln::db::narrowed_by_product). Rows imported before this migration have NULLs and
-- are read from `record` instead.
ALTER TABLE vuln_cves ADD COLUMN summary TEXT;
ALTER TABLE vuln_cve_products ADD COLUMN configurations TEXT;
