from gxparse.cli import main

raise SystemExit(main())
