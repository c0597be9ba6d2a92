package calc

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Facts §5.2: the Labour Code schedule, checked at its edges.
func TestRetirementAge(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		sex           Sex
		born          string
		years, months int
		reached       string
	}{
		{Male, "1960-08", 60, 0, "2020-08"},
		{Male, "1960-12", 60, 0, "2020-12"},
		{Male, "1961-01", 60, 3, "2021-04"},
		{Male, "1961-09", 60, 3, "2021-12"},
		{Male, "1961-10", 60, 6, "2022-04"},
		{Male, "1962-06", 60, 6, "2022-12"},
		{Male, "1962-07", 60, 9, "2023-04"},
		{Male, "1963-03", 60, 9, "2023-12"},
		{Male, "1963-04", 61, 0, "2024-04"},
		{Male, "1963-12", 61, 0, "2024-12"},
		{Male, "1964-01", 61, 3, "2025-04"},
		{Male, "1964-09", 61, 3, "2025-12"},
		{Male, "1964-10", 61, 6, "2026-04"},
		{Male, "1965-06", 61, 6, "2026-12"},
		{Male, "1965-07", 61, 9, "2027-04"},
		{Male, "1966-03", 61, 9, "2027-12"},
		{Male, "1966-04", 62, 0, "2028-04"},
		{Male, "1990-05", 62, 0, "2052-05"},
		{Female, "1965-12", 55, 0, "2020-12"},
		{Female, "1966-01", 55, 4, "2021-05"},
		{Female, "1966-08", 55, 4, "2021-12"},
		{Female, "1966-09", 55, 8, "2022-05"},
		{Female, "1967-04", 55, 8, "2022-12"},
		{Female, "1967-05", 56, 0, "2023-05"},
		{Female, "1967-12", 56, 0, "2023-12"},
		{Female, "1968-01", 56, 4, "2024-05"},
		{Female, "1968-09", 56, 8, "2025-05"},
		{Female, "1969-05", 57, 0, "2026-05"},
		{Female, "1969-12", 57, 0, "2026-12"},
		{Female, "1970-01", 57, 4, "2027-05"},
		{Female, "1970-09", 57, 8, "2028-05"},
		{Female, "1971-05", 58, 0, "2029-05"},
		{Female, "1972-01", 58, 4, "2030-05"},
		{Female, "1973-12", 59, 0, "2032-12"},
		{Female, "1974-08", 59, 4, "2033-12"},
		{Female, "1974-12", 59, 8, "2034-08"},
		{Female, "1975-04", 59, 8, "2034-12"},
		{Female, "1975-05", 60, 0, "2035-05"},
		{Female, "2000-01", 60, 0, "2060-01"},
	}
	for _, tt := range tests {
		t.Run(string(tt.sex)+" "+tt.born, func(t *testing.T) {
			born, err := ParseMonth(tt.born)
			require.NoError(t, err)
			got, err := c.RetirementAge(RetireInput{Sex: tt.sex, Born: born})
			require.NoError(t, err)
			assert.Equal(t, tt.years, got.AgeYears)
			assert.Equal(t, tt.months, got.AgeMonths)
			assert.Equal(t, tt.reached, got.Reached.String())
		})
	}
}

// Every birth month 1955–2000: the age reached lies in the schedule year it
// belongs to, and never goes down for later births.
func TestRetirementAgeMonotonic(t *testing.T) {
	c := calculator(t)
	for _, sex := range []Sex{Male, Female} {
		prev := 0
		for m := (Month{1955, time.January}); m.Before(Month{2001, time.January}); m = m.add(1) {
			got, err := c.RetirementAge(RetireInput{Sex: sex, Born: m})
			require.NoError(t, err)
			age := got.AgeYears*12 + got.AgeMonths
			assert.GreaterOrEqual(t, age, prev, "%s %s", sex, m)
			prev = age
		}
	}
}

func TestRetirementAgeRefusals(t *testing.T) {
	c := calculator(t)
	for _, in := range []RetireInput{
		{Sex: "x", Born: Month{1990, 1}},
		{Sex: Male, Born: Month{1990, 13}},
		{Sex: Male, Born: Month{1800, 1}},
	} {
		_, err := c.RetirementAge(in)
		var ie *InputError
		assert.True(t, errors.As(err, &ie))
	}
	for _, s := range []string{"1990", "abc", "1990-13", ""} {
		_, err := ParseMonth(s)
		assert.Error(t, err, s)
	}
	m, err := ParseMonth("05/1990")
	require.NoError(t, err)
	assert.Equal(t, "1990-05", m.String())
}
