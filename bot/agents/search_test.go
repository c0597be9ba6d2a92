package agents

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlaceKey(t *testing.T) {
	cases := map[string]string{
		"xã Thái Thụy":         "thai thuy",
		"P. Trần Phú":          "tran phu",
		"p tran phu":           "tran phu",
		"TT. Diêm Điền":        "diem dien",
		"thị trấn Diêm Điền":   "diem dien",
		"huyện Thái Thụy":      "thai thuy",
		"H. Thái Thụy":         "thai thuy",
		"TP.HCM":               "hcm",
		"thành phố Rạch Giá":   "rach gia",
		"Đặc khu Phú Quốc":     "phu quoc",
		"  phường   Hồng Bàng": "hong bang",
		"xã":                   "xa", // a prefix alone is kept: it may be a name
		"":                     "",
	}
	for in, want := range cases {
		assert.Equal(t, want, PlaceKey(in), "PlaceKey(%q)", in)
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"thaithuy", "thaithuy", 0}, {"thaithuy", "thaithy", 1}, {"rachgia", "rachgai", 1},
		{"", "abc", 3}, {"kitten", "sitting", 3}, {"thuy", "thyu", 1},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, editDistance(c.a, c.b), "%s/%s", c.a, c.b)
	}
}

func TestFindCommune(t *testing.T) {
	d := loadReal(t)
	cases := []struct {
		name, province, text string
		want                 string // current name of the single best match
		former               bool
	}{
		{"new name with diacritics", "hung-yen", "xã Thái Thụy", "xã Thái Thụy", false},
		{"old district name without diacritics", "hung-yen", "huyen thai thuy", "xã Thái Thụy", false},
		{"unaccented old name", "hung-yen", "thai thuy", "xã Thái Thụy", false},
		{"former commune", "hung-yen", "thuy hai", "xã Thái Thụy", true},
		{"former town with prefix tt", "hung-yen", "tt diem dien", "xã Thái Thụy", true},
		{"one typo", "hung-yen", "thai thyu", "xã Thái Thụy", false},
		{"former city of Thai Binh", "hung-yen", "tp thai binh", "phường Thái Bình", false},
		{"former Kien Giang city", "an-giang", "rach gia", "phường Rạch Giá", false},
		{"p. prefix", "an-giang", "P. Rạch Giá", "phường Rạch Giá", false},
		{"dac khu", "an-giang", "dac khu phu quoc", "đặc khu Phú Quốc", false},
		{"old island town name", "an-giang", "duong dong", "đặc khu Phú Quốc", true},
		{"two typos in a long name", "an-giang", "vinh thanh vanh", "phường Rạch Giá", true},
		{"with province after", "hung-yen", "thai thuy thai binh", "xã Thái Thụy", false},
		{"any province", "", "kon tum", "phường Kon Tum", false},
		{"Hai Phong former Hai Duong", "hai-phong", "tp hai duong", "phường Hải Dương", false},
		{"Quang Ngai island", "quang-ngai", "ly son", "đặc khu Lý Sơn", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := d.FindCommune(c.province, c.text)
			require.Len(t, got, 1, "FindCommune(%q, %q) = %v", c.province, c.text, got)
			assert.Equal(t, c.want, got[0].Name)
			assert.Equal(t, c.former, got[0].Former, "matched %q", got[0].Matched)
			assert.NotEmpty(t, got[0].Agents)
		})
	}
	t.Run("a former city that spans several wards asks which", func(t *testing.T) {
		for _, q := range []string{"tp vinh", "thanh pho vinh", "TP. Vinh"} {
			got := d.FindCommune("", q)
			var names []string
			for _, m := range got {
				names = append(names, m.Name)
			}
			assert.ElementsMatch(t, []string{"phường Trường Vinh", "phường Thành Vinh", "phường Vinh Hưng"}, names, q)
		}
	})
	t.Run("no match", func(t *testing.T) {
		assert.Empty(t, d.FindCommune("hung-yen", "rach gia"))
		assert.Empty(t, d.FindCommune("hung-yen", "abc"))
		assert.Empty(t, d.FindCommune("hung-yen", "   "))
		assert.Empty(t, d.FindCommune("no-such", "thai thuy"))
	})
	t.Run("short names need exact spelling", func(t *testing.T) {
		assert.Empty(t, d.FindCommune("quang-ngai", "ly so"), "four letters tolerate no typo")
		assert.Len(t, d.FindCommune("quang-ngai", "ly sonn"), 1, "five letters tolerate one")
	})
}

func TestFindProvince(t *testing.T) {
	d := loadReal(t)
	cases := map[string]string{
		"Hưng Yên":        "hung-yen",
		"thai binh":       "hung-yen",
		"tỉnh Thái Bình":  "hung-yen",
		"kien giang":      "an-giang",
		"Kon Tum":         "quang-ngai",
		"hai duong":       "hai-phong",
		"HCM":             "ho-chi-minh",
		"tp hcm":          "ho-chi-minh",
		"Sài Gòn":         "ho-chi-minh",
		"ba ria vung tau": "ho-chi-minh",
		"nghe an":         "nghe-an",
		"Quang Ngai":      "quang-ngai",
		"quang ngia":      "quang-ngai",
		"thua thien hue":  "hue",
		"dak nong":        "lam-dong",
		"ha giang":        "tuyen-quang",
		"bac lieu":        "ca-mau",
		// The way people shorten two-part former names.
		"vung tau":   "ho-chi-minh",
		"BRVT":       "ho-chi-minh",
		"ba ria":     "ho-chi-minh",
		"tinh brvt":  "ho-chi-minh",
		"tt hue":     "hue",
		"thua thien": "hue",
	}
	for in, want := range cases {
		p, ok := d.FindProvince(in)
		if assert.True(t, ok, "FindProvince(%q)", in) {
			assert.Equal(t, want, p.ID, "FindProvince(%q)", in)
		}
	}
	for _, in := range []string{"", "xyz", "ha"} {
		_, ok := d.FindProvince(in)
		assert.False(t, ok, "FindProvince(%q)", in)
	}
}

func FuzzFindCommune(f *testing.F) {
	d := loadReal(f)
	for _, s := range []string{"thai thuy", "P. Rạch Giá", "tt", "xã xã xã", "đặc khu", "\u0301\u0301", "ｔｈａｉ", "a|b;c"} {
		f.Add("hung-yen", s)
	}
	f.Fuzz(func(t *testing.T, province, text string) {
		ms := d.FindCommune(province, text)
		for _, m := range ms {
			assert.Equal(t, ms[0].Score, m.Score)
			assert.NotEmpty(t, m.Agents)
		}
		d.FindProvince(text)
	})
}

func BenchmarkFindCommune(b *testing.B) {
	d := loadReal(b)
	for b.Loop() {
		d.FindCommune("", "huyen thai thyu")
	}
}

// BenchmarkFindCommuneNationwide searches a directory the size of the whole
// country after the reform (3,321 communes, one agent each, two former
// names each), as a typed commune is searched everywhere.
func BenchmarkFindCommuneNationwide(b *testing.B) {
	syll := []string{"an", "binh", "thai", "thuy", "hoa", "long", "xuan", "phu", "tan", "minh", "dong", "son", "ha", "nam", "bac", "vinh"}
	var rows strings.Builder
	for i := range 3321 {
		name := func(k int) string {
			return syll[(i*7+k)%len(syll)] + " " + syll[(i*3+k*5)%len(syll)] + " " + strconv.Itoa(i)
		}
		prov := "hung-yen"
		if i%2 == 1 {
			prov = "an-giang"
		}
		fmt.Fprintf(&rows, "a%d,Bưu điện %d,buu-dien,%s,xã %s|%s|%s,Số 1,0227 000 0401,T2-T6 07:30-11:30,20.5,106.5,,true,false\n", i, i, prov, name(0), name(1), name(2))
	}
	d, err := LoadDirectory(testFS(rows.String()))
	require.NoError(b, err)
	for b.Loop() {
		d.FindCommune("", "huyen thai thyu")
	}
}
