package calc

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden reports under testdata/")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./calc -update to create %s", path)
	assert.Equal(t, string(want), got)
}

func TestReports(t *testing.T) {
	c := calculator(t)
	today := date("2026-11-26")
	vsi, err := c.VSI(VSIInput{Income: d("3000000"), Group: GroupNearPoor, Months: 6, Date: today})
	require.NoError(t, err)
	golden(t, "vsi-near-poor-6", vsi.Text())

	adv, err := c.VSI(VSIInput{Income: d("1500000"), Group: GroupOther, Years: 5, Date: today})
	require.NoError(t, err)
	golden(t, "vsi-advance-5y", adv.Text())

	tab, err := c.MinTable(today)
	require.NoError(t, err)
	golden(t, "min-2026-11-26", tab.Text())

	hi, err := c.HouseholdHI(HIInput{Members: 4, Months: 12, Date: today})
	require.NoError(t, err)
	golden(t, "hi-4-12", hi.Text())

	ret, err := c.RetirementAge(RetireInput{Sex: Female, Born: Month{1990, 5}})
	require.NoError(t, err)
	golden(t, "retire-female-1990-05", ret.Text())

	pen, err := c.Pension(PensionInput{Sex: Male, Years: 20, Income: d("1500000"), Date: today})
	require.NoError(t, err)
	golden(t, "pension-male-20", pen.Text())

	short, err := c.Pension(PensionInput{Sex: Female, Years: 11, Income: d("2000000"), Date: today})
	require.NoError(t, err)
	golden(t, "pension-female-11", short.Text())

	lump, err := c.LumpSum(LumpSumInput{Periods: []Period{period("2021-01", "2025-12", "1500000", GroupOther)}, Date: today})
	require.NoError(t, err)
	golden(t, "lumpsum-2021-2025", lump.Text())
}
