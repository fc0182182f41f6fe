https://example.com/a?b=c
