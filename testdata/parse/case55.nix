# A dollar before an escape: "$\"" is a dollar and a quote, not the string's end.
let
  x = "v";
in
{
  a = "$\"";
  b = "echo \"$\"${x}\"\"";
  c = "$\\";
}
