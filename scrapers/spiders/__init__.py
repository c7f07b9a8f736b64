"""One module per official source; the spider name equals the module name."""
