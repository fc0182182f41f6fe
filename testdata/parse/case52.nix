rec { inherit b; b = 1; }
