package calc

import (
	"testing"
	"time"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// calculator loads the real content/rates.yaml.
func calculator(t testing.TB) *Calculator {
	t.Helper()
	p, err := LoadParams(content.FS())
	require.NoError(t, err)
	return New(p)
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
