package calc

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMoney(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1,5 triệu", "1500000"},
		{"1tr5", "1500000"},
		{"1.500.000đ", "1500000"},
		{"1.500.000 đ", "1500000"},
		{"1500k", "1500000"},
		{"2 trieu", "2000000"},
		{"1.5m", "1500000"},
		{"1.5M", "1500000"},
		{"3 củ", "3000000"},
		{"3tr", "3000000"},
		{"3 trieu", "3000000"},
		{"3 Triệu", "3000000"},
		{"5.000.000", "5000000"},
		{"5000000", "5000000"},
		{"5,000,000", "5000000"},
		{"5 000 000", "5000000"},
		{"2 triệu rưỡi", "2500000"},
		{"1 triệu rưỡi", "1500000"},
		{"1tr250", "1250000"},
		{"1tr05", "1050000"},
		{"1 triệu 200 nghìn", "1200000"},
		{"1tr200k", "1200000"},
		{"500 nghìn", "500000"},
		{"500 ngàn", "500000"},
		{"5 trăm nghìn", "500000"},
		{"1.500k", "1500000"},
		{"1.5k", "1500"},
		{"50.600.000 VND", "50600000"},
		{"2.000.000 vnđ", "2000000"},
		{"1500000 dong", "1500000"},
		{"1 tỷ", "1000000000"},
		{"  3tr  ", "3000000"},
		{"1.500.000,00", "1500000"},
		{"1,500,000.00", "1500000"},
		{"2,5tr", "2500000"},
		{"1000", "1000"},
		{"hai triệu", "2000000"},
		{"một triệu rưỡi", "1500000"},
		{"ba củ", "3000000"},
		{"Năm trăm nghìn", "500000"},
		{"muoi trieu", "10000000"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestParseMoneyRefusals(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "chưa ghi"},
		{"abc", "chưa đọc được"},
		{"-1500000", "âm"},
		{"-3tr", "âm"},
		{"0", "lớn hơn 0"},
		{"0 triệu", "lớn hơn 0"},
		{"2 tỷ", "quá lớn"},
		{"1000000001", "quá lớn"},
		{"1.2345k", "đồng chẵn"},
		{"3", "quá nhỏ"},
		{"hai", "chưa đọc được"},           // a spelled number needs its unit
		{"hai 2 triệu", "chưa đọc được"},   // and comes first
		{"1,5", "Bạn muốn nói 1,5 triệu?"}, // bare: a hint, not "no fraction of a đồng"
		{"1.5", "Bạn muốn nói 1,5 triệu?"},
		{"500", "Bạn muốn nói 500 nghìn?"}, // 500 triệu would be above every ceiling
		{"750", "ví dụ 750 nghìn hoặc 750k"},
		{"99", "Bạn muốn nói 99 triệu?"},
		{"2,25", "2,25tr"},
		{"tr", "chưa đọc được"},
		{"1tr2tr", "chưa đọc được"},
		{"500k 1tr", "chưa đọc được"},
		{"1..5tr", "chưa đọc được"},
		{"1.50.000", "chưa đọc được"},
		{"3 triệu đồng nhé", "chưa đọc được"},
		{"1 2", "chưa đọc được"},
		{"$100", "chưa đọc được"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseMoney(tt.in)
			var ie *InputError
			require.True(t, errors.As(err, &ie), "want *InputError, got %v", err)
			assert.Contains(t, ie.Msg, tt.msg)
		})
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1,5 triệu", "1tr5", "1.500.000đ", "1500k", "2 trieu", "1.5m", "3 củ",
		"2 triệu rưỡi", "5 000 000", "1 triệu 200 nghìn", "-1", "1tr05", "5 trăm nghìn", "1.500.000,00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseMoney(s)
		if err != nil {
			var ie *InputError
			require.True(t, errors.As(err, &ie), "errors must be *InputError: %v", err)
			require.NotEmpty(t, ie.Msg)
			return
		}
		require.True(t, v.IsPositive(), "%q → %s", s, v)
		require.True(t, v.Equal(v.Truncate(0)), "%q → %s not whole", s, v)
		require.True(t, v.LessThanOrEqual(decimal.NewFromInt(1_000_000_000)), "%q → %s", s, v)
	})
}

func TestFormatVND(t *testing.T) {
	for in, want := range map[string]string{
		"1034000": "1.034.000 đ", "0": "0 đ", "999": "999 đ", "1000": "1.000 đ",
		"50600000": "50.600.000 đ", "1000000000": "1.000.000.000 đ", "165000.5": "165.001 đ", "-1500": "-1.500 đ",
	} {
		assert.Equal(t, want, FormatVND(decimal.RequireFromString(in)), in)
	}
}
