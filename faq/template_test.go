package faq

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shippedAmounts are the amounts of the real content/rates.yaml.
func shippedAmounts(t testing.TB) *Amounts {
	t.Helper()
	a, err := LoadAmounts(content.FS())
	require.NoError(t, err)
	require.NotNil(t, a)
	return a
}

func onDay(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, calc.Vietnam)
	require.NoError(t, err)
	return d
}

// Rendered answers around the two changes the content must be ready for:
// the reference level of 01/07/2026 and the planned poverty line of
// 01/01/2027. The golden files show the values and the dated lines.
func TestAmountsGolden(t *testing.T) {
	a := shippedAmounts(t)
	inputs, err := filepath.Glob("testdata/amounts/*.md")
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".md")
		src, err := os.ReadFile(in)
		require.NoError(t, err)
		for _, d := range []string{"2026-06-15", "2026-07-20", "2026-12-20", "2027-01-05", "2027-03-01"} {
			t.Run(name+"/"+d, func(t *testing.T) {
				html, err := a.RenderHTML(string(src), onDay(t, d))
				require.NoError(t, err)
				assertTelegramHTML(t, html)
				golden(t, "amounts/"+name+"."+d+".html.golden", html)
				txt, err := a.RenderText(string(src), onDay(t, d))
				require.NoError(t, err)
				golden(t, "amounts/"+name+"."+d+".txt.golden", txt)
			})
		}
	}
}

func TestAmountsValues(t *testing.T) {
	a := shippedAmounts(t)
	c := calc.New(a.c.Params())
	for _, d := range []string{"2026-12-20", "2027-01-05"} {
		t.Run(d, func(t *testing.T) {
			on := onDay(t, d)
			min, err := c.MinTable(on)
			require.NoError(t, err)
			hi, err := c.HouseholdHI(calc.HIInput{Members: 4, Months: 12, Date: on})
			require.NoError(t, err)
			want := map[string]string{
				"vsi.floor":                     money(min.Floor),
				"vsi.ceiling":                   money(min.Ceiling),
				"vsi.pay floor other":           money(min.Rows[4].Payable),
				"vsi.pay floor poor 12":         money(min.Rows[0].Methods[3].Total),
				"vsi.support near-poor":         money(min.Rows[1].Support),
				"hi.family 4 12":                money(hi.Total),
				"hi.member 2 12":                money(hi.Members[1].Total),
				"vsi.pay 3000000 other":         map[string]string{"2026-12-20": "594.000 đồng", "2027-01-05": "563.200 đồng"}[d], // 660.000 − 20 % × 22 % × the line
				"vsi.gross 3tr 12":              "7.920.000 đồng",
				"vsi.support-total other":       map[string]string{"2026-12-20": "7.920.000 đồng", "2027-01-05": "11.616.000 đồng"}[d],
				"pension.rate female 20":        "55%",
				"pension.rate male 19":          "44%",
				"pension.step male 15":          "1%",
				"pension.step male 20":          "2%",
				"pension.max-rate":              "75%",
				"hi.small-visit":                "379.500 đồng",
				"hi.copay-cap":                  "15.180.000 đồng",
				"hi.copay":                      "20%",
				"funeral.grant":                 "25.300.000 đồng",
				"maternity.support 2":           "4.000.000 đồng",
				"social.pension":                "500.000 đồng",
				"lumpsum.incapacity":            "81%",
				"vsi.support-cap":               "120 tháng",
				"vsi.advance floor 5":           map[string]string{"2026-12-20": "18.098.148 đồng", "2027-01-05": "26.543.951 đồng"}[d],
				"pension.monthly male 20 floor": map[string]string{"2026-12-20": "675.000 đồng", "2027-01-05": "990.000 đồng"}[d],
			}
			for ph, w := range want {
				f := strings.Fields(ph)
				got, err := a.Value(f[0], f[1:], on)
				require.NoError(t, err, ph)
				assert.Equal(t, w, got, ph)
			}
		})
	}
}

func TestAmountsRefusals(t *testing.T) {
	a := shippedAmounts(t)
	on := onDay(t, "2027-01-05")
	tests := []struct{ ph, want string }{
		{"vsi.pay 1500000 other", "Thu nhập chọn đóng phải từ 2.200.000 đ"}, // below the floor of that day
		{"pension.rate male 10", "10 năm chưa đủ để có lương hưu (cần 15 năm)"},
		{"vsi.missing floor 20", "chỉ thiếu được tối đa 15 năm"},
		{"vsi.flor", `không có số tiền nào tên "vsi.flor"`},
		{"hi.family 4", "cần SỐ_NGƯỜI SỐ_THÁNG; ví dụ {{hi.family 3 12}}"},
		{"hi.family 4 5", "BHYT hộ gia đình đóng 3, 6 hoặc 12 tháng"},
		{"vsi.pay floor rich", `nhóm "rich": ghi một trong poor, near-poor`},
		{"pension.rate woman 20", `giới tính "woman": ghi female (nữ) hoặc male (nam)`},
		{"vsi.gross lots", `thu nhập "lots": ghi floor`},
	}
	for _, tt := range tests {
		t.Run(tt.ph, func(t *testing.T) {
			f := strings.Fields(tt.ph)
			_, err := a.Value(f[0], f[1:], on)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := a.Value("vsi.floor", nil, onDay(t, "2010-01-01"))
	assert.ErrorContains(t, err, "Chưa có dữ liệu", "no rules for the day")
}

func TestLoadChecksPlaceholders(t *testing.T) {
	entry := func(body string) string {
		return strings.Replace(goodEntry, "Mức thấp nhất là **1.500.000 đồng/tháng**.", body, 1)
	}
	tests := []struct{ body, want string }{
		{"Mức thấp nhất là {{vsi.flor}}.", `faq/floor.md:15: {{vsi.flor}}: không có số tiền nào tên "vsi.flor" (có phải "vsi.floor"?); các tên dùng được có trong content/README.md`},
		{"Dòng một.\n\nTự trả {{vsi.pay floor}}.", "faq/floor.md:17: {{vsi.pay floor}}: cần THU_NHẬP NHÓM [SỐ_THÁNG]; ví dụ {{vsi.pay 3000000 other}}"},
		{"Tự trả {{vsi.pay floor other", "faq/floor.md:15: thiếu `}}`: viết {{tên}} trọn trên một dòng"},
		{"Tự trả {{ }}.", "faq/floor.md:15: {{ }} đang trống: ghi tên một số tiền, ví dụ {{vsi.floor}}"},
		{"Ví dụ cũ 1.500.000 đồng. {{dated ví dụ cũ}}", "faq/floor.md:15: {{dated ví dụ cũ}}: ghi thời gian của ví dụ, ít nhất là năm"},
		{"- một\n- hai {{hi.member 0}}", `faq/floor.md:16: {{hi.member 0}}: "0" không phải người thứ mấy / số người trong hộ (1–20)`},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			got := problemsOf(t, mustFail(Load(testFS(map[string]string{"faq/floor.md": entry(tt.body), "faq/age.md": ageEntry}))))
			require.Len(t, got, 1, "%q", got)
			assert.Contains(t, got[0], tt.want)
		})
	}
	kb, err := Load(testFS(map[string]string{"faq/floor.md": entry("Thấp nhất **{{vsi.floor}}**; ví dụ cũ 1.500.000 đồng {{dated trước 01/2027}}."), "faq/age.md": ageEntry}))
	require.NoError(t, err)
	e, _ := kb.Entry("floor")
	assert.Equal(t, 15, e.BodyLine)
}

func TestCheckAmounts(t *testing.T) {
	a := shippedAmounts(t)
	body := "Thấp nhất **{{vsi.floor}}**, người khác tự trả 264.000 đồng/tháng.\n\n" +
		"- Tỷ lệ 22%, có 2 trường hợp và 5 kỳ.\n" +
		"- Trước 01/7/2026: 1.263.600 đồng. {{dated trước 01/7/2026}}\n" +
		"- Hộ nghèo tự trả {{vsi.pay 1500000 poor}}, đóng 3tr thì khác.\n\n" +
		"Ví dụ 01/2021–12/2025 (hệ số năm 2026): {{dated 01/2021–12/2025}}\n\n" +
		"- Bình quân 1.605.000 đồng.\n- Còn 14.083.200 đồng."
	kb := &KB{entries: []*Entry{{ID: "x", File: "faq/x.md", Body: body, BodyLine: 20}}}
	errs, warns := kb.CheckAmounts(a, onDay(t, "2027-01-05"))
	var got []string
	for _, p := range append(errs, warns...) {
		got = append(got, p.String())
	}
	assert.Equal(t, []string{
		"faq/x.md:24: {{vsi.pay 1500000 poor}}: Thu nhập chọn đóng phải từ 2.200.000 đ đến 50.600.000 đ một tháng (quy định ngày 05/01/2027). Mức gần nhất hợp lệ là 2.200.000 đ. (ngày 2027-01-05)",
		`faq/x.md:20: cảnh báo: "264.000" viết sẵn trong câu trả lời sẽ sai khi mức đóng, mức hưởng thay đổi; dùng tên số tiền {{...}} (content/README.md), hoặc nếu là ví dụ, lịch sử có thời gian thì thêm {{dated THỜI_GIAN}} vào dòng đó`,
		`faq/x.md:22: cảnh báo: "22%" viết sẵn trong câu trả lời sẽ sai khi mức đóng, mức hưởng thay đổi; có thể dùng {{vsi.rate}} (ngày 2027-01-05 cho ra đúng 22%), hoặc nếu là ví dụ, lịch sử có thời gian thì thêm {{dated THỜI_GIAN}} vào dòng đó`,
		`faq/x.md:24: cảnh báo: "3tr" viết sẵn trong câu trả lời sẽ sai khi mức đóng, mức hưởng thay đổi; dùng tên số tiền {{...}} (content/README.md), hoặc nếu là ví dụ, lịch sử có thời gian thì thêm {{dated THỜI_GIAN}} vào dòng đó`,
	}, got)
	_, warns = kb.CheckAmounts(a, onDay(t, "2026-12-20"))
	assert.Contains(t, warns[0].Msg, "có thể dùng {{vsi.pay floor other}} (ngày 2026-12-20 cho ra đúng 264.000)", "the name that gives the typed amount that day")

	errs, _ = kb.CheckAmounts(nil, onDay(t, "2026-12-20"))
	require.NotEmpty(t, errs)
	assert.Contains(t, errs[0].Msg, "chưa có tệp rates.yaml")
}

// ExampleAmounts_RenderText shows an answer on two days either side of the
// planned poverty line.
func ExampleAmounts_RenderText() {
	a, _ := LoadAmounts(content.FS())
	for _, d := range []string{"2026-12-20", "2027-01-05"} {
		on, _ := time.Parse(time.DateOnly, d)
		out, _ := a.RenderText("Người khác tự trả **{{vsi.pay floor other}}/tháng**.", on)
		fmt.Println(out)
	}
	// Output:
	// Người khác tự trả 264.000 đồng/tháng.
	//
	// 📅 Từ 01/01/2027, chuẩn hộ nghèo khu vực nông thôn (mức thu nhập thấp nhất được chọn đóng BHXH tự nguyện) dự kiến là 2.200.000 đồng, chưa được xác nhận chính thức. Khi đó 264.000 đồng ở trên sẽ thành 387.200 đồng. Hỏi đại lý thu hoặc tổng đài 1900 9068 để biết chắc.
	// Người khác tự trả 387.200 đồng/tháng.
	//
	// 📅 Từ 01/01/2027, chuẩn hộ nghèo khu vực nông thôn (mức thu nhập thấp nhất được chọn đóng BHXH tự nguyện) dự kiến là 2.200.000 đồng (trước đó là 1.500.000 đồng), chưa được xác nhận chính thức. Số tiền ở trên đã tính theo mức mới: 387.200 đồng (trước ngày đó là 264.000 đồng). Hỏi đại lý thu hoặc tổng đài 1900 9068 để biết chắc.
}

// Every name is documented for staff in content/README.md, and the README
// documents no name that does not exist.
func TestAmountNamesDocumented(t *testing.T) {
	readme, err := fs.ReadFile(content.FS(), "README.md")
	require.NoError(t, err)
	section := string(readme)[strings.Index(string(readme), "| Tên | Tham số |"):]
	section = section[:strings.Index(section, "\n\n")]
	documented := map[string]bool{}
	for _, row := range strings.Split(section, "\n")[2:] {
		first := strings.Split(row, "|")[1]
		for _, name := range strings.Split(first, ",") {
			documented[strings.Trim(strings.TrimSpace(name), "`")] = true
		}
	}
	for _, s := range amountSpecs {
		assert.True(t, documented[s.name], "%s is not in content/README.md", s.name)
		delete(documented, s.name)
	}
	assert.Empty(t, documented, "documented but unknown")
}

// FuzzRenderAmounts: any answer body (staff input) renders without panic to
// HTML Telegram accepts, whatever its placeholders say.
func FuzzRenderAmounts(f *testing.F) {
	for _, s := range []string{"{{vsi.pay floor other 12}}", "**{{vsi.floor}}**", "{{", "{{}}", "{{dated 2020}} 1.500.000 đồng",
		"- {{hi.family 3 12}}\n- {{hi.member 9 12}}", "{{pension.rate male 99}} {{vsi.gross -1}}", "a {{b}} {{c d e f g h}} }}"} {
		f.Add(s)
	}
	a := shippedAmounts(f)
	on := time.Date(2026, 12, 20, 0, 0, 0, 0, calc.Vietnam)
	f.Fuzz(func(t *testing.T, body string) {
		html, _ := a.RenderHTML(body, on)
		assertTelegramHTML(t, html)
		_, _ = a.RenderText(body, on)
		checkTemplates("faq/x.md", []byte(body), 1, &Problems{})
	})
}

// BenchmarkRenderAmounts renders the answer with the most placeholders
// (about 30, with its dated line) for one day.
func BenchmarkRenderAmounts(b *testing.B) {
	a := shippedAmounts(b)
	kb, err := Load(content.FS())
	require.NoError(b, err)
	e, ok := kb.Entry("contribution-examples-by-income")
	require.True(b, ok)
	on := time.Date(2026, 12, 20, 0, 0, 0, 0, calc.Vietnam)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.RenderHTML(e.Body, on); err != nil {
			b.Fatal(err)
		}
	}
}

// A pension worked out at the lowest income is not the example of a dated
// line: a new lowest income does not change a pension already earned. A
// contribution in the same answer still is.
func TestDatedLineExampleIsNotAnEarnedPension(t *testing.T) {
	a, err := LoadAmounts(content.FS())
	require.NoError(t, err)
	d := onDay(t, "2026-12-20")
	only, err := a.RenderText("Nữ đóng 20 năm ở mức thấp nhất: lương hưu khoảng **{{pension.monthly female 20 floor}}/tháng**.", d)
	require.NoError(t, err)
	assert.Contains(t, only, "📅 Từ 01/01/2027")
	assert.NotContains(t, only, "sẽ thành")
	both, err := a.RenderText("Lương hưu khoảng **{{pension.monthly female 20 floor}}/tháng**. Người khác tự trả **{{vsi.pay floor other}}/tháng**.", d)
	require.NoError(t, err)
	assert.Contains(t, both, "Khi đó 264.000 đồng ở trên sẽ thành 387.200 đồng.")
}
