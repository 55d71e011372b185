import Link from 'next/link'

export default function NotFound() {
  return (
    <div className="main">
      <div className="panel">
        <h1>Not found</h1>
        <p>That page does not exist, or your role cannot see it.</p>
        <Link href="/">Back to the overview</Link>
      </div>
    </div>
  )
}
