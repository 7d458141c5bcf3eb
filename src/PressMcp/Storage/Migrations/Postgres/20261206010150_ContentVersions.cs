using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContentVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The content version of each site (Storage/ContentVersion): raised in the writing transaction by every insert,
            // update, delete or truncate of the rows a search reads, whoever writes them, so a cached search answer is used
            // only while nothing it depends on has changed (Content/Search/SearchResultCache). Statement-level triggers with
            // transition tables: an import raises each site's row once per statement, not once per post. A row per site,
            // kept when the site is deleted. The function first locks the sites' rows (in id order, as SiteSequences'
            // UPDATE sites does for every new post): so the version row is only ever locked by a transaction that holds its
            // site's row, and a post update followed by an id reservation cannot deadlock with an id reservation followed by
            // a post insert.
            migrationBuilder.Sql("CREATE TABLE content_versions (site_id bigint NOT NULL PRIMARY KEY, value bigint NOT NULL);");
            migrationBuilder.Sql("INSERT INTO content_versions (site_id, value) SELECT id, 1 FROM sites;");
            migrationBuilder.Sql("""
                CREATE FUNCTION content_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE changed bigint[];
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    SELECT array_agg(DISTINCT site_id) INTO changed FROM new_rows;
                  ELSIF TG_OP = 'UPDATE' THEN
                    SELECT array_agg(DISTINCT site_id) INTO changed FROM (SELECT site_id FROM new_rows UNION SELECT site_id FROM old_rows) AS both_sides;
                  ELSIF TG_OP = 'DELETE' THEN
                    SELECT array_agg(DISTINCT site_id) INTO changed FROM old_rows;
                  ELSE
                    SELECT array_agg(site_id) INTO changed FROM content_versions;
                  END IF;
                  IF changed IS NULL THEN
                    RETURN NULL;
                  END IF;
                  PERFORM 1 FROM sites WHERE id = ANY (changed) ORDER BY id FOR NO KEY UPDATE;
                  UPDATE content_versions SET value = value + 1 WHERE site_id = ANY (changed);
                  RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION content_version_site_created() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO content_versions (site_id, value) SELECT id, 1 FROM new_rows
                    ON CONFLICT (site_id) DO UPDATE SET value = content_versions.value + 1;
                  RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER content_version_sites_insert AFTER INSERT ON sites REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_site_created();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_posts_insert AFTER INSERT ON posts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_posts_update AFTER UPDATE ON posts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_posts_delete AFTER DELETE ON posts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_posts_truncate AFTER TRUNCATE ON posts FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_terms_insert AFTER INSERT ON post_terms REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_terms_update AFTER UPDATE ON post_terms REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_terms_delete AFTER DELETE ON post_terms REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_terms_truncate AFTER TRUNCATE ON post_terms FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_meta_insert AFTER INSERT ON post_meta REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_meta_update AFTER UPDATE ON post_meta REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_meta_delete AFTER DELETE ON post_meta REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_meta_truncate AFTER TRUNCATE ON post_meta FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_terms_insert AFTER INSERT ON terms REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_terms_update AFTER UPDATE ON terms REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_terms_delete AFTER DELETE ON terms REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER content_version_terms_truncate AFTER TRUNCATE ON terms FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER content_version_posts_insert ON posts;");
            migrationBuilder.Sql("DROP TRIGGER content_version_posts_update ON posts;");
            migrationBuilder.Sql("DROP TRIGGER content_version_posts_delete ON posts;");
            migrationBuilder.Sql("DROP TRIGGER content_version_posts_truncate ON posts;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_terms_insert ON post_terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_terms_update ON post_terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_terms_delete ON post_terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_terms_truncate ON post_terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_meta_insert ON post_meta;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_meta_update ON post_meta;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_meta_delete ON post_meta;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_meta_truncate ON post_meta;");
            migrationBuilder.Sql("DROP TRIGGER content_version_terms_insert ON terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_terms_update ON terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_terms_delete ON terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_terms_truncate ON terms;");
            migrationBuilder.Sql("DROP TRIGGER content_version_sites_insert ON sites;");
            migrationBuilder.Sql("DROP FUNCTION content_version_site_created();");
            migrationBuilder.Sql("DROP FUNCTION content_version_bump();");
            migrationBuilder.Sql("DROP TABLE content_versions;");
        }
    }
}
