package roster

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// The parts of an XLSX package this reader needs, found the way the Open
// Packaging Conventions say: the package relationships name the workbook,
// the workbook's relationships name its sheets and its shared strings.

// Relationship types (transitional and strict OOXML end the same way).
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
)

// xlsxPackage is the zip of a workbook with its parts located.
type xlsxPackage struct {
	zr       *zip.Reader
	files    map[string]*zip.File // by part name, lower case, without a leading /
	workbook string               // part name of the workbook
	sheets   []xlsxSheetRef       // in workbook order
	sst      string               // part name of the shared strings; "" when none
}

// xlsxSheetRef is one sheet of the workbook.
type xlsxSheetRef struct {
	name string
	part string // "" for a sheet that is not a worksheet (a chart sheet)
}

// openPackage locates the workbook, its sheets and its shared strings.
func openPackage(zr *zip.Reader) (*xlsxPackage, error) {
	p := &xlsxPackage{zr: zr, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		p.files[partKey(f.Name)] = f
	}
	rels, err := p.rels("")
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.Type, relOfficeDocument) {
			p.workbook = resolvePart("", r.Target)
			break
		}
	}
	if p.workbook == "" {
		p.workbook = "xl/workbook.xml"
	}
	if p.files[partKey(p.workbook)] == nil {
		return nil, errors.New("the package has no workbook part")
	}
	wbRels, err := p.rels(p.workbook)
	if err != nil {
		return nil, err
	}
	targets := map[string]xlsxRel{}
	for _, r := range wbRels {
		targets[r.ID] = r
		if strings.HasSuffix(r.Type, relSharedStrings) {
			p.sst = resolvePart(p.workbook, r.Target)
		}
	}
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := p.decode(p.workbook, &wb); err != nil {
		return nil, err
	}
	for _, s := range wb.Sheets {
		ref := xlsxSheetRef{name: s.Name}
		for _, a := range s.Attrs {
			if a.Name.Local != "id" || a.Name.Space == "" {
				continue
			}
			if r, ok := targets[a.Value]; ok && strings.HasSuffix(r.Type, relWorksheet) {
				ref.part = resolvePart(p.workbook, r.Target)
			}
		}
		p.sheets = append(p.sheets, ref)
	}
	return p, nil
}

// xlsxRel is one relationship of a part.
type xlsxRel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
	Mode   string `xml:"TargetMode,attr"`
}

// rels reads the relationships of a part ("" for the package's own).
func (p *xlsxPackage) rels(part string) ([]xlsxRel, error) {
	dir, base := path.Split(part)
	name := path.Join(dir, "_rels", base+".rels")
	if p.files[partKey(name)] == nil {
		return nil, nil
	}
	var doc struct {
		Rels []xlsxRel `xml:"Relationship"`
	}
	if err := p.decode(name, &doc); err != nil {
		return nil, err
	}
	var out []xlsxRel
	for _, r := range doc.Rels {
		if !strings.EqualFold(r.Mode, "External") {
			out = append(out, r)
		}
	}
	return out, nil
}

// maxMetaPart bounds the small parts decoded whole (workbook, relationships).
const maxMetaPart = 64 << 20

// decode unmarshals a small part.
func (p *xlsxPackage) decode(part string, v any) error {
	rc, err := p.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxMetaPart+1))
	if err != nil {
		return fmt.Errorf("%s: %w", part, err)
	}
	if len(data) > maxMetaPart {
		return fmt.Errorf("%s is larger than %d MiB", part, maxMetaPart>>20)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", part, err)
	}
	return nil
}

// open opens a part for streaming.
func (p *xlsxPackage) open(part string) (io.ReadCloser, error) {
	f := p.files[partKey(part)]
	if f == nil {
		return nil, fmt.Errorf("the package has no part %s", part)
	}
	return f.Open()
}

// metaZip copies the package without its sheets and shared strings (the
// parts that grow with the data) into a small zip that excelize opens for
// the workbook's styles and properties. The entries are copied compressed.
func (p *xlsxPackage) metaZip() ([]byte, error) {
	skip := map[string]bool{}
	if p.sst != "" {
		skip[partKey(p.sst)] = true
	}
	for _, s := range p.sheets {
		if s.part != "" {
			skip[partKey(s.part)] = true
		}
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range p.zr.File {
		k := partKey(f.Name)
		if skip[k] || strings.HasPrefix(k, "xl/media/") || strings.HasPrefix(k, "xl/worksheets/") ||
			strings.HasPrefix(k, "xl/pivotcache/") || strings.HasPrefix(k, "xl/externallinks/") {
			continue
		}
		if err := w.Copy(f); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// partKey is the form part names are looked up by: forward slashes, no
// leading slash, lower case (part names are case-insensitive).
func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, "\\", "/"), "/"))
}

// resolvePart resolves a relationship target against the part that holds
// the relationship ("" for the package).
func resolvePart(source, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Clean(path.Join(path.Dir(source), target))
}
