x: { inherit (x) y z; }
