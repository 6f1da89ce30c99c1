from decision.cli import main

raise SystemExit(main())
