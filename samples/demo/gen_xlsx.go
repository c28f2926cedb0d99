//go:build ignore

// gen_xlsx writes onboarding.xlsx from onboarding.csv the way a site team's
// spreadsheet looks: a title and a blank row above the header, phone numbers
// typed as numbers (so Excel drops their formatting), ports as numbers.
//
//	go run samples/demo/gen_xlsx.go
package main

import (
	"encoding/csv"
	"log"
	"os"
	"regexp"
	"strconv"

	"github.com/xuri/excelize/v2"
)

func main() {
	in, err := os.Open("samples/demo/onboarding.csv")
	if err != nil {
		log.Fatal(err)
	}
	recs, err := csv.NewReader(in).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	f := excelize.NewFile()
	const sheet = "Site survey"
	f.SetSheetName("Sheet1", sheet)
	f.SetCellValue(sheet, "A1", "Acme Corp - San Francisco HQ - phone site survey")
	digits := regexp.MustCompile(`\D`)
	for r, rec := range recs {
		for c, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+3)
			var val any = v
			switch {
			case r > 0 && c == 4 && v != "" && !regexp.MustCompile(`[Ee]`).MatchString(v):
				// people type numbers; Excel stores them as numbers
				n, err := strconv.ParseInt(digits.ReplaceAllString(v, ""), 10, 64)
				if err == nil {
					val = n
				}
			case r > 0 && c == 9 && v != "":
				n, _ := strconv.Atoi(v)
				val = n
			}
			f.SetCellValue(sheet, cell, val)
		}
	}
	// Excel records the used range; excelize leaves it at A1 unless told
	width := 0
	for _, rec := range recs {
		width = max(width, len(rec))
	}
	last, _ := excelize.CoordinatesToCellName(width, len(recs)+2)
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		log.Fatal(err)
	}
	// the scientific-notation cell as Excel shows a long number in a narrow column
	f.SetColWidth(sheet, "A", "O", 16)
	if err := f.SaveAs("samples/demo/onboarding.xlsx"); err != nil {
		log.Fatal(err)
	}
}
