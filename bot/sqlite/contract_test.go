package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/storetest"
)

// TestStoreContract runs the store contract shared with bot/postgres on a
// new database file per test; a second store on the same file stands for a
// restarted process.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, storetest.Adapter{
		New: func(t *testing.T) func(t *testing.T) storetest.Store {
			path := filepath.Join(t.TempDir(), "bot.db")
			return func(t *testing.T) storetest.Store { return openAt(t, path) }
		},
		Count: func(t *testing.T, s storetest.Store, table, where string) int {
			q := "SELECT count(*) FROM " + table
			if where != "" {
				q += " WHERE " + where
			}
			var n int
			require.NoError(t, s.(*sqlite.Store).DB().QueryRow(q).Scan(&n))
			return n
		},
	})
}
