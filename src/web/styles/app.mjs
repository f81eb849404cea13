/* global document */
import { initAll } from './govuk-frontend.min.js';
import { SortableTable } from './moj-sortable-table.mjs';

initAll();
// MoJ Frontend: only its sortable table (tables marked data-module="moj-sortable-table").
for (const table of document.querySelectorAll('[data-module="moj-sortable-table"]')) new SortableTable(table);
