package importer

import "strings"

// latin folds the accented Latin letters of Latin-1 and Latin Extended-A
// to ASCII for ids: "Café" -> "cafe", "Zoë" -> "zoe".
var latin = func() *strings.Replacer {
	var pairs []string
	for base, accented := range map[string]string{
		"a": "àáâãäåāăąǎǟǡǻȁȃȧ",
		"c": "çćĉċč",
		"d": "ď",
		"e": "èéêëēĕėęěȅȇȩ",
		"g": "ĝğġģǧǵ",
		"h": "ĥȟ",
		"i": "iìíîïĩīĭįǐȉȋ̇",
		"j": "ĵǰ",
		"k": "ķǩ",
		"l": "ĺļľ",
		"n": "ñńņňǹ",
		"o": "òóôõöōŏőơǒǫǭȍȏȫȭȯȱ",
		"r": "ŕŗřȑȓ",
		"s": "śŝşšș",
		"t": "ţťț",
		"u": "ùúûüũūŭůűųưǔǖǘǚǜȕȗ",
		"w": "ŵ",
		"y": "ýÿŷȳ",
		"z": "źżž",
	} {
		for _, r := range accented {
			pairs = append(pairs, string(r), base)
		}
	}
	for _, p := range [][2]string{{"ß", "ss"}, {"æ", "ae"}, {"ø", "o"}, {"œ", "oe"}, {"ð", "d"}, {"þ", "th"}, {"ł", "l"}, {"đ", "d"}, {"ı", "i"}} {
		pairs = append(pairs, p[0], p[1])
	}
	return strings.NewReplacer(pairs...)
}()
