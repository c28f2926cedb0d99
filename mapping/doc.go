// Package mapping turns the columns of a roster file into pbxsync fields
// (pbx.Field). A Profile names, for each field, the columns that may carry it
// (aliases, matched without regard to case, spaces, underscores and
// punctuation), how to derive it when the file has no such column, a constant
// default, and a small closed set of transforms a migration needs.
//
// Mapping only places and transforms text; it never judges a value (the
// validate package does). A field whose column the file lacks is absent from
// Mapped.Values ("leave it alone"); an empty cell is present with Text ""
// ("no value"); a default fills a field only when no source binds.
//
// A profile file is YAML (decoded with go.yaml.in/yaml/v3) or JSON:
//
//	name: legacy
//	ignore: [Department]            # columns deliberately not used
//	fields:
//	  first_name:
//	    columns: [First Name, Given Name]
//	    or:                          # tried when no column above is in the file
//	      - columns: [Name]
//	        name_part: first         # "Last, First" or "First Last"
//	  user_id:
//	    template: "{first:1}{last}@acme.example"
//	    login: true                  # lower case, no spaces or accents
//	  number:
//	    columns: [DID]
//	    country_code: [Country Code] # "+CC national"
//	    multi: true                  # several numbers in one cell -> Parts
//	  station_type:
//	    columns: [Station]
//	    map: {Premium: premium, Std: standard}
//	    default: standard            # only when the file has no Station column
//
// A list of names may be written as one text (columns: Email). Sources (one
// per rule or alternative): columns (aliases of one column),
// join (several columns joined with sep, default " "), columns+country_code,
// from (another field's value) and template ("{field}" or "{field:N}" for its
// first N letters; first, last and ext are short for first_name, last_name
// and extension). Transforms run in this fixed order: multi (split, then the
// rest per part), country_code, cid_number, cucm_device (mac or port of a
// CUCM device name: SEP/ATA/BAT + MAC, AN + MAC + port index), trim_prefix,
// replace, name_part, map, last_digits, prefix, login, lower, date_order
// (dmy, mdy or ymd: a date of three numbers rewritten 2027-03-31); then mask_from
// fills the X's of the result (a CUCM external phone number mask,
// 415555XXXX) with the last digits of another field. or_if_empty: true makes
// a rule use its next alternative on rows where the bound source is empty.
//
// A profile may extend a built-in one (extends: pbxsync) and give only what
// differs: aliases: {model: Handset} adds column names, a rule under fields:
// changes the base's key by key (extend.go). left_out: names columns that
// describe objects pbxsync does not create yet (a phone's second line): each
// non-empty cell reaches the validator as Mapped.LeftOut and is warned about.
//
// Bind resolves a profile against a file's headers once; Binding.Map then maps
// each row without regular expressions, and may be called from several
// goroutines at once. Builtin profiles (pbxsync's own, and the exports of
// FreePBX, Kazoo, FusionPBX, CUCM, Webex Calling, Zoom Phone, Teams Phone,
// RingCentral, 3CX and 8x8: Builtins) are embedded; Detect picks the best
// for a file and Suggest drafts a profile from its headers and values
// (suggest.go, fieldcheck.go, words.go).
package mapping
