import { render, screen, within } from '@testing-library/react';
import { LabelledTable } from './LabelledTable';

describe('LabelledTable', () => {
  it('labels the table, heads its columns and gives each item a row with its data attributes and cells', () => {
    render(
      <LabelledTable
        label="Assignments"
        columns={['Principal', 'Type']}
        rows={[
          { name: 'Developers', type: 'GROUP' },
          { name: 'break-glass', type: 'USER' },
        ]}
        rowKey={row => row.name}
        rowData={row => ({ 'data-testid': 'item-row', 'data-type': row.type })}
        cells={row => [row.name, <strong key="type">{row.type}</strong>]}
      />,
    );

    const table = screen.getByRole('table', { name: 'Assignments' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['Principal', 'Type']);
    const rows = screen.getAllByTestId('item-row');
    expect(rows.map(row => row.getAttribute('data-type'))).toEqual([
      'GROUP',
      'USER',
    ]);
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual(['break-glass', 'USER']);
    expect(within(rows[1]).getByText('USER').tagName).toBe('STRONG');
  });
});
