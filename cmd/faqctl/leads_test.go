package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"github.com/bhxh-tn/bhxhbot/calc"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

func leadsDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, calc.Vietnam)
	mk := func(user int64, prov, agent, name string, at time.Time) handoff.Lead {
		return handoff.Lead{UserID: user, ChatID: user, AgentID: agent, ProvinceID: prov, Commune: "xã A", Name: name,
			Phone: "0912345678", Context: "đóng bao nhiêu", ConsentVersion: handoff.ConsentVersion, ConsentAt: at,
			RecipientChatID: -100, RecipientName: "X", Status: handoff.StatusNew, CreatedAt: at, UpdatedAt: at, EscalateAt: at}
	}
	item := handoff.OutboxItem{Kind: handoff.ItemCard, ChatID: -100, WithPhone: true, NextAttempt: t0, CreatedAt: t0}
	for i, l := range []handoff.Lead{
		mk(1, "hung-yen", "hyn-bd-thaithuy", "Lan", t0),
		mk(2, "hung-yen", "hyn-bd-thaithuy", "=HYPERLINK(\"x\")", t0.Add(time.Hour)),
		mk(3, "an-giang", "agg-bd-rachgia", "Minh", t0.AddDate(0, 0, 3)),
	} {
		_, err := s.CreateLeadWithOutbox(ctx, l, item)
		require.NoError(t, err, i)
	}
	items, err := s.ClaimDue(ctx, t0, time.Minute, 1)
	require.NoError(t, err)
	require.NoError(t, s.MarkSent(ctx, items[0].ID, 1, t0))
	_, _, err = s.SetLeadStatus(ctx, items[0].LeadID, -100, 7, handoff.StatusEnrolled, t0)
	require.NoError(t, err)
	return path
}

func TestLeadsExport(t *testing.T) {
	path := leadsDB(t)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"leads", "export", "-db", path}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	require.True(t, strings.HasPrefix(out.String(), "\ufeff"), "a UTF-8 BOM so Excel on Windows reads Vietnamese")
	out.Next(len("\ufeff"))
	recs, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 4)
	assert.Equal(t, exportHeader, recs[0])
	assert.Equal(t, "Lan", recs[1][5])
	assert.Equal(t, "0912 345 678", recs[1][6], "grouped: a spreadsheet keeps the leading zero")
	assert.Equal(t, "enrolled", recs[1][9])
	assert.True(t, strings.HasPrefix(recs[2][5], "'="), "formula neutralised: %q", recs[2][5])
	assert.Contains(t, errOut.String(), "dữ liệu cá nhân")

	out.Reset()
	code = run(context.Background(), []string{"leads", "export", "--since", "2026-11-24", "--province", "an-giang", "-db", path}, &out, &errOut)
	require.Equal(t, 0, code)
	out.Next(len("\ufeff"))
	recs, _ = csv.NewReader(&out).ReadAll()
	require.Len(t, recs, 2)
	assert.Equal(t, "Minh", recs[1][5])
}

func TestLeadsStats(t *testing.T) {
	path := leadsDB(t)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"leads", "stats", "-db", path, "--json"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	var rep funnelReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	assert.Equal(t, handoff.FunnelRow{Asked: 3, HandedOff: 1, Contacted: 1, Enrolled: 1}, rep.Total)
	assert.Equal(t, 2, rep.Provinces["hung-yen"].Asked)
	require.Len(t, rep.Rows, 2)

	out.Reset()
	code = run(context.Background(), []string{"leads", "stats", "-db", path}, &out, &errOut)
	require.Equal(t, 0, code)
	assert.Contains(t, out.String(), "hyn-bd-thaithuy")
	assert.Contains(t, out.String(), "đã tham gia 33%")
}

func TestLeadsErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"leads"}, &out, &errOut))
	assert.Equal(t, 2, run(context.Background(), []string{"leads", "nope"}, &out, &errOut))
	assert.Equal(t, 1, run(context.Background(), []string{"leads", "stats", "-db", filepath.Join(t.TempDir(), "none.db")}, &out, &errOut))
	assert.Contains(t, errOut.String(), "không mở được")
	assert.Equal(t, 2, run(context.Background(), []string{"leads", "export", "--since", "23/11/2026", "-db", "x"}, &out, &errOut))
}

// --province takes the id, the name as staff write it, or a former
// province (its leads are under the new one); an unknown one is an error,
// not an empty file.
func TestLeadsExportProvinceByName(t *testing.T) {
	path := leadsDB(t)
	for _, p := range []string{"hung-yen", "Hưng Yên", "thai binh"} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"leads", "export", "--province", p, "-db", path}, &out, &errOut)
		require.Equal(t, 0, code, "%s: %s", p, errOut.String())
		out.Next(len("\ufeff"))
		recs, err := csv.NewReader(&out).ReadAll()
		require.NoError(t, err)
		assert.Len(t, recs, 3, p)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"leads", "export", "--province", "atlantis", "-db", path}, &out, &errOut)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), `tỉnh "atlantis"`)
	assert.Empty(t, out.String())
}
