// Package agentstest builds small agent directories for tests of the
// packages that use bot/agents.
package agentstest

import (
	"testing/fstest"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// Where the files live in a content directory (agents.PlacesFile and
// agents.AgentsFile; repeated here so that package agents' own tests can use
// this package, and checked equal by them).
const (
	PlacesFile = "places/provinces.yaml"
	AgentsFile = "agents/agents.csv"
)

// Header is the first line of agents.csv.
const Header = "id,name,kind,province,communes,address,phone,hours,lat,lon,telegram_chat_id,active,sample\n"

// FS is a content directory with two provinces (Hưng Yên with a staff group
// -500, An Giang without) and the agent rows given (without the header).
func FS(rows string) fstest.MapFS {
	places := `source: test
provinces:
  - id: hung-yen
    name: Hưng Yên
    kind: tỉnh
    former: [Hưng Yên, Thái Bình]
    office: {name: Bảo hiểm xã hội tỉnh Hưng Yên}
    staff_chat_id: -500
  - id: an-giang
    name: An Giang
    kind: tỉnh
    former: [An Giang, Kiên Giang]
    office: {name: Bảo hiểm xã hội tỉnh An Giang}
`
	return fstest.MapFS{
		PlacesFile: {Data: []byte(places)},
		AgentsFile: {Data: []byte(Header + rows)},
	}
}

// At is a time in Vietnam in November 2026 (23 is a Monday).
func At(day, hh, mm int) time.Time { return time.Date(2026, 11, day, hh, mm, 0, 0, calc.Vietnam) }
