package validate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// checkDevice checks the row's phone or ATA: its MAC, its model in the
// catalogue, the port (DOMAIN rule 6: phones use port 1, an ATA's port must
// be confirmed) and the line appearances.
func (rc *rowCheck) checkDevice() {
	macText, _ := rc.text(xMAC)
	modelText, hasModel := rc.text(xModel)
	if macText == "" && modelText == "" {
		return
	}
	ok := true
	var mac pbx.MAC
	switch {
	case macText == "":
		ok = false
		rc.ps.add(rc.cell(xMAC), CodeDeviceMACMissing, "", pbx.ErrMAC,
			fmt.Sprintf("the row gives model %q but no MAC", modelText),
			"enter the MAC from the device label, or clear the model")
	case rc.tagFailed(xMAC) != "":
		ok = false
		_, f := canonMAC(macText)
		if f == nil { // cannot happen: the tag and canonMAC use the same normaliser
			f = macFault(macText, rc.tf.parsed.macErr)
		}
		rc.ps.fault(rc.cell(xMAC), macText, f)
	default:
		mac = rc.tf.parsed.mac // from the mac tag
	}

	var model *pbx.DeviceModel
	switch {
	case modelText != "":
		if model = rc.c.model(modelText); model == nil {
			ok = false
			rc.ps.add(rc.cell(xModel), CodeModelUnknown, modelText, pbx.ErrNotFound,
				fmt.Sprintf("model %q is not in the device catalogue", modelText),
				"use a model of the catalogue: "+rc.c.modelNames())
		}
	case hasModel && macText != "":
		ok = false
		rc.ps.add(rc.cell(xModel), CodeModelMissing, "", pbx.ErrInvalid,
			fmt.Sprintf("the row gives MAC %q but no model", macText),
			"enter the device's model, e.g. "+rc.c.modelExample())
	}

	port, portOK := rc.port(model)
	lines, linesOK := rc.lines(model)
	if !ok || !portOK || !linesOK {
		return
	}
	if model != nil && len(model.OUIs) > 0 && !slices.ContainsFunc(model.OUIs, func(o string) bool { return strings.EqualFold(o, mac.OUI()) }) {
		rc.ps.warn(rc.cell(xMAC), CodeVendorMismatch, macText, pbx.ErrMAC,
			fmt.Sprintf("MAC %s has vendor prefix %s, which is not one of model %s's (%s)", mac, mac.OUI(), model.Name, strings.Join(model.OUIs, ", ")),
			"check that the MAC and the model are from the same device label")
	}
	d := &rc.blk.dev
	*d = pbx.RowDevice{MAC: mac, Port: port, Lines: lines}
	if model != nil {
		d.Model = model.Name
	}
	rc.row.Device = d
}

// port checks the port: 1 by default on a one-port phone, required on an ATA,
// within 1..Ports. Without a known model any port from 1 is accepted.
func (rc *rowCheck) port(model *pbx.DeviceModel) (int, bool) {
	text, _ := rc.text(xPort)
	ports := 0
	if model != nil {
		ports = max(model.Ports, 1)
	}
	if text == "" {
		if ports > 1 {
			rc.ps.add(rc.cell(xPort), CodePortMissing, "", pbx.ErrInvalid,
				fmt.Sprintf("model %s is an ATA with %d ports and the row does not say which port", model.Name, ports),
				fmt.Sprintf("confirm which port (1-%d) the user's phone is plugged into and enter it in the port column", ports))
			return 0, false
		}
		return 1, true
	}
	return rc.count(xPort, text, ports, CodePortInvalid, "port")
}

// lines checks the line appearances: 1 by default, within 1..MaxLines.
func (rc *rowCheck) lines(model *pbx.DeviceModel) (int, bool) {
	text, _ := rc.text(xLines)
	if text == "" {
		return 1, true
	}
	most := 0
	if model != nil {
		most = max(model.MaxLines, 1)
	}
	return rc.count(xLines, text, most, CodeLinesInvalid, "line count")
}

// count parses a whole number from 1 to most (no upper bound when most is 0).
func (rc *rowCheck) count(f fx, text string, most int, code, name string) (int, bool) {
	n, err := strconv.Atoi(text)
	if err == nil && n >= 1 && (most == 0 || n <= most) {
		return n, true
	}
	hint := fmt.Sprintf("enter a %s from 1 to %d", name, most)
	if most == 1 {
		hint = fmt.Sprintf("the device takes only %s 1: enter 1 or leave it empty", name)
	}
	if most == 0 {
		hint = fmt.Sprintf("enter the %s as a whole number from 1", name)
	}
	rc.ps.add(rc.cell(f), code, text, pbx.ErrInvalid, fmt.Sprintf("%s %q is not a whole number within the device's range", name, text), hint)
	return 0, false
}

// model finds a catalogue model by name, without regard to case, spaces,
// hyphens and underscores: "Yealink T42G" is "yealink-t42g". Names as the
// roster writes them are remembered (a roster has few models on many rows).
func (c *Checker) model(name string) *pbx.DeviceModel {
	if m, ok := c.st.Models[name]; ok {
		return m
	}
	if m, ok := c.modelByText[name]; ok {
		return m
	}
	if c.models == nil {
		c.models = make(map[string]*pbx.DeviceModel, 2*len(c.st.Models))
		for k, m := range c.st.Models {
			c.models[squash(k)] = m
			c.models[squash(m.Name)] = m
		}
		c.modelByText = map[string]*pbx.DeviceModel{}
	}
	m := c.models[squash(name)]
	if len(c.modelByText) < maxMemo {
		c.modelByText[name] = m
	}
	return m
}

// modelNames lists the catalogue for a hint.
func (c *Checker) modelNames() string {
	names := make([]string, 0, len(c.st.Models))
	for _, m := range c.st.Models {
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		return "the catalogue is empty: add the model to it first"
	}
	slices.Sort(names)
	if len(names) > 8 {
		names = append(names[:8], "...")
	}
	return strings.Join(names, ", ")
}

// modelExample names one catalogue model for a hint.
func (c *Checker) modelExample() string {
	names := strings.SplitN(c.modelNames(), ", ", 2)
	return names[0]
}
