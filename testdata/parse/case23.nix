args@{ a, ... }: a
