// The only script of the pages that do not hydrate (see `app::hydrates`):
// they work without it; it adds what a script does better than a reload.
(() => {
  // Commune fields suggest places while the user types (a <datalist> filled
  // by the same server function the hydrated `CommuneInput` calls).
  for (const input of document.querySelectorAll('input[data-suggest]')) {
    const list = input.list;
    if (!list) continue;
    let timer;
    let pending;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if ([...text].length < 2) return;
      timer = setTimeout(async () => {
        pending?.abort();
        pending = new AbortController();
        try {
          const url = `${input.dataset.suggest}?q=${encodeURIComponent(text)}`;
          const response = await fetch(url, { signal: pending.signal, headers: { Accept: 'application/json' } });
          if (!response.ok) return;
          const communes = await response.json();
          list.replaceChildren(...communes.map((c) => {
            const option = document.createElement('option');
            option.value = c.postal_code ? `${c.name} (${c.postal_code})` : c.name;
            return option;
          }));
        } catch {
          // Aborted by the next keystroke, or offline: the server reads what was typed.
        }
      }, 150);
    });
  }

  // The same marker the hydrated app sets: the page's script is in place.
  document.body.dataset.hydrated = 'true';
})();
