"""Write the built-in pack's docxtpl templates in templates_docx/ from the form definitions.

The builder itself lives in app/render/template_builder.py, so `yanxiu pack build-templates` can use it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.render.template_builder import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
