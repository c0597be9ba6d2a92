package studiotest

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

var demoDB = flag.String("demo-db", "", "write the demo database to this file")

func TestDemoDB(t *testing.T) {
	path := *demoDB
	if path == "" {
		path = filepath.Join(t.TempDir(), "demo.db")
	}
	now := time.Now()
	require.NoError(t, DemoDB(context.Background(), path, now))
	st, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer st.Close()
	rows, err := st.Report(context.Background(), now.AddDate(0, 0, -30), 1000)
	require.NoError(t, err)
	total := 0
	for _, r := range rows {
		total += r.Count
	}
	qs, err := Demo()
	require.NoError(t, err)
	want := 0
	for _, q := range qs {
		want += q.Times
	}
	assert.Equal(t, want, total, "every recorded question is in the report")
	funnel, err := st.LeadFunnel(context.Background(), time.Time{})
	require.NoError(t, err)
	assert.Len(t, funnel, 2)
	if *demoDB != "" {
		t.Logf("demo database written to %s (%d recorded questions)", path, total)
	}
}
