package read

import (
	"fmt"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// want is what a phrasing must yield; zero fields are "nothing".
type want struct {
	intents  Intent
	income   int64
	comp     int
	vol      int
	other    int
	bornY    int
	bornM    int
	age      int
	sex      calc.Sex
	members  int
	group    calc.Group
	months   int
	advance  int
	personal bool
	noYears  bool // years given, and none ("chưa đóng")
}

type row struct {
	text   string
	expect Expect
	w      want
}

// phrasings are written the way people type: chat spelling, no diacritics,
// letters. Each row states every value the message carries.
func phrasings() []row {
	rows := []row{
		// The defects of issue 9.
		{"nữ sinh tháng 3 năm 1980 bao nhiêu tuổi nghỉ hưu", ExpectNothing, want{intents: AskRetireAge, bornY: 1980, bornM: 3, sex: calc.Female}},
		{"tôi có 2 mã số bhxh thì làm sao", ExpectNothing, want{}},
		{"nu sinh 1981, da dong 8 nam bat buoc, dong them 12 nam tu nguyen muc 3tr thi luong huu bao nhieu", ExpectNothing, want{intents: AskPension, income: 3_000_000, comp: 8, vol: 12, bornY: 1981, sex: calc.Female}},
		{"toi 35 tuoi, da dong 3 nam bhxh tu nguyen, luong huu duoc bao nhieu", ExpectNothing, want{intents: AskPension, vol: 3, age: 35}},
		{"ho ngheo la gi", ExpectGroup, want{intents: AskGroupMeaning}},
		{"3/1981", ExpectYears, want{bornY: 1981, bornM: 3}},
		// The years step's "Chưa đóng" button typed in words is 0 years.
		{"Chưa đóng", ExpectYears, want{noYears: true}},
		{"chua dong ngay nao", ExpectYears, want{noYears: true}},
		{"chưa đóng thì có được không", ExpectYears, want{intents: Question}},
		{"12/03/1981", ExpectBorn, want{bornY: 1981, bornM: 3}},
		{"1981", ExpectBorn, want{bornY: 1981}},
		{"sinh năm 1995 nữ bao giờ được nghỉ hưu", ExpectNothing, want{intents: AskRetireAge, bornY: 1995, sex: calc.Female}},
		{"7", ExpectMembers, want{members: 7}},
		{"7", ExpectNothing, want{}},
		// A count of something else is not the household size asked.
		{"rút bhxh 1 lần được không", ExpectMembers, want{}},
		{"đóng 2 kỳ rồi", ExpectMembers, want{}},
		// Contribution questions.
		{"thu nhap 3tr ho can ngheo dong 6 thang bao nhieu", ExpectNothing, want{intents: AskContribution, income: 3_000_000, group: calc.GroupNearPoor, months: 6}},
		{"thu nhập 5 triệu đóng bao nhiêu", ExpectNothing, want{intents: AskContribution, income: 5_000_000}},
		{"thu nhap 2tr dong truoc 3 nam thi bao nhieu", ExpectNothing, want{intents: AskContribution, income: 2_000_000, advance: 3}},
		{"dong bhxh 3tr 1 nam het bao nhieu", ExpectNothing, want{intents: AskContribution, income: 3_000_000, other: 1}},
		{"muc 1tr5 thi dong bn 1 thang", ExpectNothing, want{intents: AskContribution, income: 1_500_000, months: 1}},
		{"luong 10 trieu dong bhxh tu nguyen het bao nhieu", ExpectNothing, want{intents: AskContribution, income: 10_000_000}},
		{"dân tộc thiểu số đóng mức 2 triệu thì mỗi tháng bao nhiêu", ExpectNothing, want{intents: AskContribution, income: 2_000_000, group: calc.GroupEthnic}},
		{"minh o xa dao, thu nhap 4tr thi dong bao nhieu", ExpectNothing, want{intents: AskContribution, income: 4_000_000, group: calc.GroupIsland}},
		{"dong 1.500.000đ/thang het bn", ExpectNothing, want{intents: AskContribution, income: 1_500_000}},
		// A year before "dong" typed without diacritics is "năm 2027 đóng", not 2.027 đồng.
		{"nam 2027 dong toi thieu bao nhieu", ExpectNothing, want{intents: AskContribution}},
		{"tu nam 2018 dong bhxh tu nguyen thi duoc ho tro bao nhieu", ExpectNothing, want{intents: Question}},
		{"5000 dong", ExpectNothing, want{income: 5000}},
		{"2 triệu rưỡi thì đóng bao nhiêu tiền", ExpectNothing, want{intents: AskContribution, income: 2_500_000}},
		{"500k 1 thang dong duoc ko", ExpectNothing, want{intents: Question, income: 500_000, months: 1}},
		{"thu nhap hai trieu thi dong bao nhieu", ExpectNothing, want{intents: AskContribution, income: 2_000_000}},
		// "năm tr…" after a number is years and "trước", not five million.
		{"đã đóng 10 năm tr khi nghỉ", ExpectNothing, want{other: 10}},
		// Household HI.
		{"nha 4 nguoi mua bhyt 12 thang het bao nhieu", ExpectNothing, want{intents: AskHI, members: 4, months: 12}},
		{"bhyt hộ gia đình 3 người bao nhiêu tiền", ExpectNothing, want{intents: AskHI, members: 3}},
		{"mua bhyt cho 5 thanh vien", ExpectNothing, want{intents: AskHI, members: 5}},
		{"gia dinh 6 nhan khau mua bhyt 6 thang bn", ExpectNothing, want{intents: AskHI, members: 6, months: 6}},
		{"người thứ 2 đóng bhyt bao nhiêu", ExpectNothing, want{intents: AskHI}},
		// Pension.
		{"dong 20 nam luong 5tr thi luong huu bao nhieu", ExpectNothing, want{intents: AskPension, income: 5_000_000, other: 20}},
		{"dong 15 nam duoc luong huu khong", ExpectNothing, want{intents: Question, other: 15}},
		{"nam sinh 1975 đóng 10 năm rồi thì lương hưu được khoảng bao nhiêu", ExpectNothing, want{intents: AskPension, bornY: 1975, sex: calc.Male, other: 10}},
		{"tôi là nam, 40 tuổi, lương hưu sau này bao nhiêu", ExpectNothing, want{intents: AskPension, age: 40, sex: calc.Male}},
		{"còn 5 năm nữa nghỉ hưu, lương hưu bao nhiêu", ExpectNothing, want{intents: AskPension}},
		// A pension's amount asked without "lương hưu", in a letter.
		{"mẹ em 52 tuổi, đã đóng bhxh bắt buộc 12 năm. Nếu mẹ em đóng tiếp tự nguyện thì đến lúc nghỉ hưu được bao nhiêu tiền một tháng ạ?", ExpectNothing,
			want{intents: AskPension | Question, age: 52, comp: 12}},
		{"bao nhieu tuoi thi duoc nghi huu", ExpectNothing, want{intents: AskRetireAge | Question}},
		{"nghỉ hưu rồi thì thẻ bhyt được bao nhiêu phần trăm", ExpectNothing, want{intents: AskHI | Question}},
		{"đã đóng bắt buộc 6 năm ở công ty", ExpectYears, want{comp: 6}},
		{"10 năm 6 tháng", ExpectYears, want{other: 10}},
		// Words for buttons and small talk.
		{"huy", ExpectNothing, want{intents: Cancel}},
		{"Hủy nhé", ExpectNothing, want{intents: Cancel}},
		{"thôi", ExpectNothing, want{intents: Cancel}},
		{"không tính nữa", ExpectNothing, want{intents: Cancel}},
		{"menu", ExpectNothing, want{intents: Menu}},
		{"về menu", ExpectNothing, want{intents: Menu}},
		{"quay lại", ExpectNothing, want{intents: Back}},
		{"quay lai", ExpectNothing, want{intents: Back}},
		{"không biết", ExpectGroup, want{intents: DontKnow}},
		{"ko bt", ExpectNothing, want{intents: DontKnow}},
		{"chua ro", ExpectNothing, want{intents: DontKnow}},
		{"?", ExpectNothing, want{intents: Empty}},
		{".", ExpectNothing, want{intents: Empty}},
		{"ok", ExpectNothing, want{intents: Ack}},
		{"ok ạ", ExpectNothing, want{intents: Ack}},
		{"dạ", ExpectNothing, want{intents: Ack}},
		{"cảm ơn bạn nhiều", ExpectNothing, want{intents: Thanks}},
		{"tks ad", ExpectNothing, want{intents: Thanks}},
		{"xin chào", ExpectNothing, want{intents: Hello}},
		{"alo", ExpectNothing, want{intents: Hello}},
		// Groups at the group step.
		{"ho ngheo", ExpectGroup, want{group: calc.GroupPoor}},
		{"cận nghèo", ExpectGroup, want{group: calc.GroupNearPoor}},
		{"khong thuoc nhom nao", ExpectGroup, want{group: calc.GroupOther}},
		{"binh thuong", ExpectGroup, want{group: calc.GroupOther}},
		{"thế nào là hộ cận nghèo", ExpectGroup, want{intents: AskGroupMeaning | Question}},
		// Personal numbers are not money.
		{"số cccd 012345678901 đóng bao nhiêu", ExpectNothing, want{intents: AskContribution, personal: true}},
		{"sdt 0912345678", ExpectNothing, want{personal: true}},
		// Where.
		{"đăng ký bhxh tự nguyện ở đâu", ExpectNothing, want{intents: AskWhere | Question}},
	}
	// Amounts typed alone at the income step, in many spellings.
	for _, a := range []struct {
		s string
		v int64
	}{
		{"3tr", 3_000_000}, {"3 tr", 3_000_000}, {"3 triệu", 3_000_000}, {"3 trieu", 3_000_000}, {"3 củ", 3_000_000},
		{"1tr5", 1_500_000}, {"1,5 triệu", 1_500_000}, {"1.5tr", 1_500_000}, {"1.500.000", 1_500_000}, {"1500000", 1_500_000},
		{"1.500.000đ", 1_500_000}, {"1500k", 1_500_000}, {"2 triệu rưỡi", 2_500_000}, {"2tr5", 2_500_000}, {"5m", 5_000_000},
		{"10tr", 10_000_000}, {"50 triệu", 50_000_000}, {"4.000.000 đồng", 4_000_000}, {"thu nhập 3 triệu", 3_000_000},
		{"mức 2tr", 2_000_000}, {"khoảng 5 triệu", 5_000_000}, {"tầm 4tr thôi", 4_000_000}, {"1 triệu 200 nghìn", 1_200_000},
		// A number of 1 to 99 alone can only mean triệu at this step; 150
		// is left to the unit hint (150 nghìn or 150 triệu?).
		{"3", 3_000_000}, {"1,5", 1_500_000}, {"1.5", 1_500_000}, {"tầm 2", 2_000_000}, {"2,5 ạ", 2_500_000},
		{"150", 0}, {"0", 0}, {"3 hay 5", 0},
		// Spelled-out numbers with their unit.
		{"hai triệu", 2_000_000}, {"hai trieu", 2_000_000}, {"năm triệu", 5_000_000}, {"một triệu rưỡi", 1_500_000},
		{"ba củ", 3_000_000}, {"muoi trieu", 10_000_000},
	} {
		rows = append(rows, row{a.s, ExpectIncome, want{income: a.v}})
	}
	// Ages, with and without the unit, and birth years at the birth step.
	for _, a := range []int{18, 25, 35, 42, 55} {
		rows = append(rows,
			row{fmt.Sprintf("%d tuổi", a), ExpectBorn, want{age: a}},
			row{fmt.Sprintf("em %dt", a), ExpectBorn, want{age: a}},
			row{fmt.Sprintf("toi %d tuoi", a), ExpectNothing, want{age: a}},
		)
	}
	for _, y := range []int{1960, 1975, 1988, 1995, 2005} {
		for m := 1; m <= 12; m += 5 {
			rows = append(rows,
				row{fmt.Sprintf("%02d/%d", m, y), ExpectBorn, want{bornY: y, bornM: m}},
				row{fmt.Sprintf("%d/%d", m, y), ExpectBorn, want{bornY: y, bornM: m}},
				row{fmt.Sprintf("15/%02d/%d", m, y), ExpectBorn, want{bornY: y, bornM: m}},
				row{fmt.Sprintf("%d-%02d", y, m), ExpectBorn, want{bornY: y, bornM: m}},
				row{fmt.Sprintf("tháng %d năm %d", m, y), ExpectBorn, want{bornY: y, bornM: m}},
				row{fmt.Sprintf("sinh thang %d nam %d", m, y), ExpectNothing, want{bornY: y, bornM: m}},
			)
		}
		rows = append(rows,
			row{fmt.Sprint(y), ExpectBorn, want{bornY: y}},
			row{fmt.Sprintf("sinh năm %d", y), ExpectNothing, want{bornY: y}},
			row{fmt.Sprintf("sn %d", y), ExpectNothing, want{bornY: y}},
			row{fmt.Sprint(y), ExpectNothing, want{}},
		)
	}
	// Years already paid, by scheme.
	for _, n := range []int{0, 1, 3, 8, 12, 20, 30} {
		rows = append(rows,
			row{fmt.Sprint(n), ExpectYears, want{other: n, noYears: n == 0}},
			row{fmt.Sprintf("%d năm", n), ExpectYears, want{other: n, noYears: n == 0}},
			row{fmt.Sprintf("da dong %d nam", n), ExpectYears, want{other: n, noYears: n == 0}},
			row{fmt.Sprintf("%d nam bat buoc", n), ExpectYears, want{comp: n, noYears: n == 0}},
			row{fmt.Sprintf("%d năm tự nguyện", n), ExpectYears, want{vol: n, noYears: n == 0}},
			row{fmt.Sprintf("bắt buộc %d năm, tự nguyện 2 năm", n), ExpectYears, want{comp: n, vol: 2}},
			row{fmt.Sprintf("tháng %d", max(n, 1)%12+1), ExpectYears, want{}},
		)
	}
	// Household sizes.
	for _, n := range []int{1, 2, 4, 7, 12} {
		rows = append(rows,
			row{fmt.Sprint(n), ExpectMembers, want{members: n}},
			row{fmt.Sprintf("%d người", n), ExpectMembers, want{members: n}},
			row{fmt.Sprintf("nha em %d nguoi", n), ExpectMembers, want{members: n}},
			row{fmt.Sprintf("%d ng", n), ExpectMembers, want{members: n}},
		)
	}
	// Sex, and "nam" that is a year.
	for _, s := range []struct {
		t string
		x calc.Sex
	}{
		{"nam", calc.Male}, {"Nam", calc.Male}, {"nữ", calc.Female}, {"nu", calc.Female}, {"con gái", ""},
		{"toi la nam", calc.Male}, {"phụ nữ", calc.Female}, {"đàn ông", calc.Male}, {"nam giới", calc.Male},
		{"mỗi năm đóng bao nhiêu", ""},
	} {
		rows = append(rows, row{s.t, ExpectSex, want{sex: s.x}})
	}
	rows = append(rows,
		row{"nam nay toi 30 tuoi", ExpectSex, want{age: 30}},
		row{"dong 5 nam", ExpectSex, want{other: 5}},
		row{"sinh nam 1990", ExpectSex, want{bornY: 1990}},
	)
	return rows
}

func TestReadPhrasings(t *testing.T) {
	rows := phrasings()
	t.Logf("%d phrasings", len(rows))
	for _, r := range rows {
		t.Run(r.text, func(t *testing.T) {
			got := Message(r.text, r.expect)
			w := r.w
			// Only the intents a row names are checked, so rows stay about
			// one thing; Empty, Cancel and the like are checked exactly.
			assert.True(t, got.Intents.Has(w.intents), "intents %b, want %b", got.Intents, w.intents)
			for _, x := range []Intent{Cancel, Menu, Back, DontKnow, Empty} {
				assert.Equal(t, w.intents.Has(x), got.Intents.Has(x), "intent %b", x)
			}
			if w.income == 0 {
				assert.False(t, got.HasIncome, "income %s", got.Income)
			} else if assert.True(t, got.HasIncome) {
				assert.Equal(t, fmt.Sprint(w.income), got.Income.String())
			}
			assert.Equal(t, w.comp, got.Years.Compulsory, "compulsory")
			assert.Equal(t, w.vol, got.Years.Voluntary, "voluntary")
			assert.Equal(t, w.other, got.Years.Other, "years")
			assert.Equal(t, w.noYears || w.comp+w.vol+w.other > 0, got.Years.Given, "years given")
			assert.Equal(t, w.bornY, got.Born.Year, "birth year")
			assert.Equal(t, time.Month(w.bornM), got.Born.Month, "birth month")
			assert.Equal(t, w.age, got.Age, "age")
			assert.Equal(t, w.sex, got.Sex, "sex")
			assert.Equal(t, w.members, got.Members, "members")
			assert.Equal(t, w.group, got.Group, "group")
			assert.Equal(t, w.months, got.Months, "months")
			assert.Equal(t, w.advance, got.Advance, "advance")
			assert.Equal(t, w.personal, got.Personal, "personal")
		})
	}
}

// FuzzMessage: no input panics, and the values stay in range.
func FuzzMessage(f *testing.F) {
	for _, r := range phrasings()[:40] {
		f.Add(r.text, int(r.expect))
	}
	f.Add("\xff\xfe 3tr", 1)
	f.Fuzz(func(t *testing.T, s string, e int) {
		rd := Message(s, Expect(e%7))
		if rd.HasIncome && !rd.Income.IsPositive() {
			t.Fatalf("%q: income %s", s, rd.Income)
		}
		if rd.Years.Total() < 0 || rd.Members < 0 || rd.Age < 0 {
			t.Fatalf("%q: negative value %+v", s, rd)
		}
		if utf8.ValidString(s) && !utf8.ValidString(rd.Folded) {
			t.Fatalf("%q: folded text not UTF-8", s)
		}
	})
}

// BenchmarkMessage reads the table's phrasings one after another.
func BenchmarkMessage(b *testing.B) {
	rows := phrasings()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := rows[i%len(rows)]
		Message(r.text, r.expect)
	}
}
