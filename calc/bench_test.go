package calc

import (
	"testing"

	"github.com/bhxh-tn/bhxhbot/content"
)

func BenchmarkLoadParams(b *testing.B) {
	fsys := content.FS()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadParams(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVSI(b *testing.B) {
	c := calculator(b)
	in := VSIInput{Income: d("3000000"), Group: GroupNearPoor, Months: 6, Date: date("2026-11-26")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.VSI(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVSIAdvance5Years(b *testing.B) {
	c := calculator(b)
	in := VSIInput{Income: d("3000000"), Group: GroupNearPoor, Years: 5, Date: date("2026-11-26")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.VSI(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMinTable(b *testing.B) {
	c := calculator(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.MinTable(date("2026-11-26")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHouseholdHI(b *testing.B) {
	c := calculator(b)
	in := HIInput{Members: 5, Months: 12, Date: date("2026-11-26")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.HouseholdHI(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRetirementAge(b *testing.B) {
	c := calculator(b)
	in := RetireInput{Sex: Female, Born: Month{1972, 5}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.RetirementAge(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPensionMissing(b *testing.B) {
	c := calculator(b)
	in := PensionInput{Sex: Male, Years: 10, Income: d("3000000"), Date: date("2026-11-26")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Pension(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLumpSum10Years(b *testing.B) {
	c := calculator(b)
	in := LumpSumInput{Periods: []Period{{From: Month{2016, 1}, To: Month{2025, 12}, Income: d("2000000"), Group: GroupOther}}, Date: date("2026-11-26")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.LumpSum(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseMoney(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseMoney("2 triệu rưỡi"); err != nil {
			b.Fatal(err)
		}
	}
}
