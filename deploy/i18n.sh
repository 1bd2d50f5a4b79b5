#!/usr/bin/env bash
# The client documents' translations (Czech texts are the message ids; Ukrainian and English catalogues):
#   bash deploy/i18n.sh            extract the texts, update every .po (new texts untranslated), compile the .mo
#   bash deploy/i18n.sh compile    only compile the .po files into the .mo files committed beside them
# A text left untranslated is printed in Czech. Catalogues: shared (kmb_vocabulary), intake (kmb_intake),
# catalogue (kmb_catalogue); the mappings are in deploy/i18n/*.cfg.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYBABEL=.venv/bin/pybabel
LANGS=(uk en)
CATALOGUES=(
    "kmb_vocabulary shared/src/kmb_shared deploy/i18n/vocabulary.cfg"
    "kmb_intake services/intake/src/kmb_intake deploy/i18n/intake.cfg"
    "kmb_catalogue services/catalogue/src/kmb_catalogue deploy/i18n/catalogue.cfg"
)
for entry in "${CATALOGUES[@]}"; do
    read -r domain dir mapping <<<"$entry"
    if [[ "${1:-}" != compile ]]; then
        mkdir -p "$dir/locale"
        "$PYBABEL" -q extract --no-location --omit-header --sort-output -k N_ -F "$mapping" \
            -o "$dir/locale/$domain.pot" "$dir"
        for lang in "${LANGS[@]}"; do
            if [[ -f "$dir/locale/$lang/LC_MESSAGES/$domain.po" ]]; then
                "$PYBABEL" -q update --no-fuzzy-matching -D "$domain" -l "$lang" \
                    -i "$dir/locale/$domain.pot" -d "$dir/locale"
            else
                "$PYBABEL" -q init -D "$domain" -l "$lang" -i "$dir/locale/$domain.pot" -d "$dir/locale"
            fi
        done
    fi
    "$PYBABEL" -q compile --use-fuzzy -D "$domain" -d "$dir/locale"
done
