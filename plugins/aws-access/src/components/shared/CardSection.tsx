import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

/** A titled section of an entity card's body. */
export function CardSection(props: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Box mt={2} data-testid={props.testId}>
      <Typography variant="subtitle2">{props.title}</Typography>
      {props.children}
    </Box>
  );
}
