package storetest_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/postgres/pgtest"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// The two stores are at the same schema versions: a migration added to one
// has its counterpart, under the same name, in the other.
func TestSameSchemaVersions(t *testing.T) {
	lite, err := sqlite.Migrations()
	require.NoError(t, err)
	pg, err := postgres.Migrations()
	require.NoError(t, err)
	assert.Equal(t, lite, pg, "bot/sqlite/migrations and bot/postgres/migrations must hold the same file names")
}

// The two stores have the same tables and columns (faqctl migrate-store
// copies them by name).
func TestSameColumns(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	defer lite.Close()
	pg, err := postgres.Open(ctx, url)
	require.NoError(t, err)
	defer pg.Close()

	want := map[string][]string{}
	rows, err := lite.DB().QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	require.NoError(t, err)
	for rows.Next() {
		var table, col string
		require.NoError(t, rows.Scan(&table, &col))
		want[table] = append(want[table], col)
	}
	require.NoError(t, rows.Err())
	rows.Close()

	got := map[string][]string{}
	prows, err := pg.Pool().Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	require.NoError(t, err)
	for prows.Next() {
		var table, col string
		require.NoError(t, prows.Scan(&table, &col))
		got[table] = append(got[table], col)
	}
	require.NoError(t, prows.Err())
	for _, m := range []map[string][]string{want, got} {
		for _, cols := range m {
			slices.Sort(cols)
		}
	}
	assert.Equal(t, want, got)
}
