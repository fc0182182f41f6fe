# Not terminated: the last quote of "$\"" is escaped.
{ a = "$\"; }
