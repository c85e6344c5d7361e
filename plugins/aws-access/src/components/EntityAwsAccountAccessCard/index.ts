export { EntityAwsAccountAccessCard } from './EntityAwsAccountAccessCard';
