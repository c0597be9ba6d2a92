package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/postgres/pgtest"
	"github.com/bhxh-tn/bhxhbot/bot/storetest"
)

// adapter runs the store contract on a new database per test, on the
// server named by BHXHBOT_TEST_POSTGRES.
func adapter() storetest.Adapter {
	return storetest.Adapter{
		New: func(t *testing.T) func(t *testing.T) storetest.Store {
			url := pgtest.URL(t)
			return func(t *testing.T) storetest.Store { return open(t, url) }
		},
		Count: func(t *testing.T, s storetest.Store, table, where string) int {
			q := "SELECT count(*) FROM " + table
			if where != "" {
				q += " WHERE " + where
			}
			var n int
			require.NoError(t, s.(*postgres.Store).Pool().QueryRow(context.Background(), q).Scan(&n))
			return n
		},
		Shared: true,
	}
}

func open(t *testing.T, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStoreContract(t *testing.T) { storetest.Run(t, adapter()) }
